/* The store's ordered schema migrations; see migrations.c. */
#ifndef WARROOM_MIGRATIONS_H
#define WARROOM_MIGRATIONS_H

#include <stddef.h>

/* Returns the migrations in order and sets *COUNT, which is the current schema version. */
const char *const *migrations(size_t *count);

#endif
