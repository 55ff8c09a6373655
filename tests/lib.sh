# Shared helpers for the command-line tests, sourced by tests/cli/*.sh.
# Each test script prints TAP: call `check NAME COMMAND...` per assertion and
# `finish` at the end. Every script runs on its own temporary database with
# the bundled playbook and a fixed clock and actor.

: "${srcdir:=.}"
: "${WARROOM:=./warroom}"

tap_n=0
tap_failed=0

test_tmp=$(mktemp -d "${TMPDIR:-/tmp}/warroom-cli-XXXXXX") || exit 99
trap 'rm -rf "$test_tmp"' EXIT

WARROOM_DB=$test_tmp/test.db
WARROOM_PLAYBOOK=$srcdir/data/playbook.cfg
WARROOM_SETTINGS=$test_tmp/no-settings.cfg
WARROOM_NOW=2026-03-02T10:00:00Z
WARROOM_ACTOR=alice
XDG_CONFIG_HOME=$test_tmp/config
XDG_DATA_HOME=$test_tmp/data
export WARROOM_DB WARROOM_PLAYBOOK WARROOM_NOW WARROOM_ACTOR XDG_CONFIG_HOME XDG_DATA_HOME
unset WARROOM_SETTINGS
fixtures=$srcdir/tests/fixtures

# Runs "$@" with output to $test_tmp/out and $test_tmp/err; sets $status.
run() {
	"$@" >"$test_tmp/out" 2>"$test_tmp/err"
	status=$?
}

# Records one TAP result: pass when the command in "$@" after NAME succeeds.
check() {
	name=$1
	shift
	tap_n=$((tap_n + 1))
	if "$@"; then
		echo "ok $tap_n - $name"
	else
		tap_failed=$((tap_failed + 1))
		echo "not ok $tap_n - $name"
		echo "#   failed: $*"
		echo "#   exit status: ${status:-?}"
		sed 's/^/#   stdout: /' "$test_tmp/out" 2>/dev/null | head -n 20
		sed 's/^/#   stderr: /' "$test_tmp/err" 2>/dev/null | head -n 20
	fi
}

# Assertions for check.
status_is() { [ "$status" -eq "$1" ]; }
out_has() { grep -q -- "$1" "$test_tmp/out"; }
err_has() { grep -q -- "$1" "$test_tmp/err"; }
out_lacks() { ! grep -q -- "$1" "$test_tmp/out"; }
out_lines() { [ "$(wc -l <"$test_tmp/out")" -eq "$1" ]; }
out_is() { [ "$(cat "$test_tmp/out")" = "$1" ]; }

# Counts rows of TABLE in the test database with the sqlite3 shell.
rows() { sqlite3 "$WARROOM_DB" "SELECT count(*) FROM $1"; }

finish() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
