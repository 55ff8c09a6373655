#!/bin/sh
# Runs the warroom program under valgrind for `make check-valgrind`, which
# sets WARROOM to this script. Each run writes its own log, empty when
# valgrind found no error and no definite leak; the make rule reads them.
: "${WARROOM_BINARY:?WARROOM_BINARY must name the warroom program}"
: "${VALGRIND_LOG_DIR:?VALGRIND_LOG_DIR must name a folder for the logs}"
exec "${VALGRIND:-valgrind}" --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --quiet \
	--suppressions="$(dirname "$0")/valgrind.supp" \
	--log-file="$VALGRIND_LOG_DIR/warroom.%p.log" "$WARROOM_BINARY" "$@"
