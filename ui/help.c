/*
 * The help overlay (`?`): every key of the key table, grouped by where it
 * works, generated from the same table that the key handlers read, so the
 * help cannot drift from what the keys do.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ui.h"

void help_open(struct console *con)
{
	size_t n_bindings, n = 0, cap;
	const struct key_binding *table = keys_table(&n_bindings);
	struct pager_line *lines;

	cap = n_bindings + 2 * CTX_COUNT + 4;
	lines = xcalloc(cap, sizeof *lines);
	lines[n].text = xstrdup("Keys of the incident console. Esc, q or ? closes this help.");
	lines[n++].role = ROLE_DIM;

	for (int c = 0; c < CTX_COUNT; c++) {
		int first = 1;

		for (size_t i = 0; i < n_bindings; i++) {
			const struct key_binding *b = &table[i];

			if ((int)b->context != c || !b->help)
				continue;
			if (first) {
				lines[n].text = xstrdup("");
				lines[n++].role = ROLE_NORMAL;
				lines[n].text = xstrdup(keys_context_title((enum key_context)c));
				lines[n++].role = ROLE_TITLE;
				first = 0;
			}
			lines[n].text = xasprintf("  %-16s %s", b->label, b->help);
			lines[n++].role = ROLE_NORMAL;
		}
	}
	pager_open(con, "Help: keys", lines, n);
}
