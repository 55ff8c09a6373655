# Shared helpers for the console tests, sourced by tests/ui/*.sh.
#
# Each script runs the real warroom binary in a private tmux server at a
# fixed size. The server has its own socket in a temporary folder, so no
# user's tmux is touched. A script sends keys and polls `capture-pane -p`
# until the expected text shows or a timeout passes, so a check never rests
# on a bare sleep. The clock,
# the time zone, the locale, the actor and the database are fixed. Output is
# TAP: `check NAME COMMAND...` per assertion and `finish` at the end. Without
# tmux the script reports a skipped plan.

: "${srcdir:=.}"
: "${WARROOM:=./warroom}"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not found"
	exit 0
fi

ui_tmp=$(mktemp -d "${TMPDIR:-/tmp}/warroom-ui-XXXXXX") || exit 99
ui_sock=$ui_tmp/tmux.sock
ui_cleanup() {
	tmux -S "$ui_sock" kill-server >/dev/null 2>&1
	rm -rf "$ui_tmp"
}
trap ui_cleanup EXIT
trap 'exit 1' INT TERM HUP

WARROOM_DB=$ui_tmp/test.db
WARROOM_PLAYBOOK=$srcdir/data/playbook.cfg
WARROOM_NOW=2018-06-01T15:00:00Z
WARROOM_ACTOR=alice
TZ=UTC
LC_ALL=C.UTF-8
XDG_CONFIG_HOME=$ui_tmp/config
XDG_DATA_HOME=$ui_tmp/data
export WARROOM_DB WARROOM_PLAYBOOK WARROOM_NOW WARROOM_ACTOR TZ LC_ALL XDG_CONFIG_HOME XDG_DATA_HOME
unset WARROOM_SETTINGS NO_COLOR VISUAL EDITOR
fixtures=$srcdir/tests/fixtures

# Seconds to wait for a screen before a check fails.
UI_TIMEOUT=${UI_TIMEOUT:-10}

tap_n=0
tap_failed=0
ui_session=ui0

ui_tmux() {
	tmux -S "$ui_sock" -f /dev/null "$@"
}

# Starts the console in a new tmux session of UI_COLS x UI_ROWS (120 x 40 by
# default): ui_start [NAME=VALUE...] -- WARROOM ARGUMENTS... The exit status
# lands in $ui_tmp/exit when warroom ends; the pane stays for capture-pane.
ui_start() {
	ui_env=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		ui_env="$ui_env $1"
		shift
	done
	[ "$1" = "--" ] && shift
	rm -f "$ui_tmp/exit" "$ui_tmp/pid"
	# The inner shell writes its pid and becomes warroom, so signals can reach
	# it; the outer one outlives Ctrl-C to record the exit status.
	cat >"$ui_tmp/run.sh" <<EOF
#!/bin/sh
trap : INT
sh -c 'echo \$\$ >"$ui_tmp/pid"; exec "\$@"' sh "\$@"
echo "\$?" >"$ui_tmp/exit.tmp" && mv "$ui_tmp/exit.tmp" "$ui_tmp/exit"
exec sleep 600
EOF
	# The new session starts before the old one goes, so the server never
	# runs out of sessions and exits under the next command.
	ui_old=$ui_session
	ui_session=ui$((${ui_session#ui} + 1))
	# shellcheck disable=SC2086 # each NAME=VALUE is one word
	ui_tmux new-session -d -x "${UI_COLS:-120}" -y "${UI_ROWS:-40}" -s "$ui_session" \
		sh "$ui_tmp/run.sh" env TERM=screen $ui_env "$WARROOM" "$@"
	ui_tmux kill-session -t "$ui_old" >/dev/null 2>&1
}

# Starts another console in its own session NAME beside the current one, for
# tests with several consoles on one database: ui_start_in NAME [NAME=VALUE...]
# -- WARROOM ARGUMENTS... It stays until the end of the test; its pid lands
# in $ui_tmp/pid.NAME and its exit status in $ui_tmp/exit.NAME.
ui_start_in() {
	ui_name=$1
	shift
	ui_env=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		ui_env="$ui_env $1"
		shift
	done
	[ "$1" = "--" ] && shift
	rm -f "$ui_tmp/exit.$ui_name" "$ui_tmp/pid.$ui_name"
	cat >"$ui_tmp/run.$ui_name.sh" <<EOF
#!/bin/sh
trap : INT
sh -c 'echo \$\$ >"$ui_tmp/pid.$ui_name"; exec "\$@"' sh "\$@"
echo "\$?" >"$ui_tmp/exit.$ui_name.tmp" && mv "$ui_tmp/exit.$ui_name.tmp" "$ui_tmp/exit.$ui_name"
exec sleep 600
EOF
	ui_tmux kill-session -t "$ui_name" >/dev/null 2>&1
	# shellcheck disable=SC2086 # each NAME=VALUE is one word
	ui_tmux new-session -d -x "${UI_COLS:-120}" -y "${UI_ROWS:-40}" -s "$ui_name" \
		sh "$ui_tmp/run.$ui_name.sh" env TERM=screen $ui_env "$WARROOM" "$@"
}

# Polls until session NAME's screen contains TEXT; the screen lands in $ui_tmp/screen,
# with lines that the terminal wrapped joined.
ui_wait_in() {
	ui_screen_of=$1
	ui_tries=$((UI_TIMEOUT * 10))
	while [ "$ui_tries" -gt 0 ]; do
		# -J joins the lines that a long message wrapped, so it is found whole.
		ui_tmux capture-pane -p -J -t "$1" >"$ui_tmp/screen" 2>/dev/null
		grep -qF -- "$2" "$ui_tmp/screen" && return 0
		sleep 0.1
		ui_tries=$((ui_tries - 1))
	done
	return 1
}

# Polls until session NAME's screen no longer contains TEXT.
ui_wait_gone_in() {
	ui_screen_of=$1
	ui_tries=$((UI_TIMEOUT * 10))
	while [ "$ui_tries" -gt 0 ]; do
		ui_tmux capture-pane -p -J -t "$1" >"$ui_tmp/screen" 2>/dev/null
		grep -qF -- "$2" "$ui_tmp/screen" || return 0
		sleep 0.1
		ui_tries=$((ui_tries - 1))
	done
	return 1
}

# Sends tmux key names or, with -l, literal text to session NAME: ui_keys_in NAME KEYS...
ui_keys_in() {
	ui_name=$1
	shift
	ui_tmux send-keys -t "$ui_name" "$@"
}

# Polls until the console in session NAME has exited with status STATUS.
ui_wait_exit_in() {
	ui_tries=$((UI_TIMEOUT * 10))
	while [ "$ui_tries" -gt 0 ]; do
		if [ -f "$ui_tmp/exit.$1" ]; then
			[ "$(cat "$ui_tmp/exit.$1")" = "$2" ]
			return
		fi
		sleep 0.1
		ui_tries=$((ui_tries - 1))
	done
	return 1
}

# Prints the milliseconds since the epoch (GNU date).
ui_now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# Records a skipped TAP result: skip NAME REASON.
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

# Writes the screen to $ui_tmp/screen (with colour escapes when the first argument is -e).
ui_capture() {
	ui_screen_of=$ui_session
	ui_tmux capture-pane -p $1 -t "$ui_session" >"$ui_tmp/screen" 2>/dev/null
}

# Polls until the screen contains TEXT (a fixed string), for up to UI_TIMEOUT seconds.
ui_wait() {
	ui_tries=$((UI_TIMEOUT * 10))
	while [ "$ui_tries" -gt 0 ]; do
		ui_capture
		grep -qF -- "$1" "$ui_tmp/screen" && return 0
		sleep 0.1
		ui_tries=$((ui_tries - 1))
	done
	return 1
}

# Polls until the screen no longer contains TEXT.
ui_wait_gone() {
	ui_tries=$((UI_TIMEOUT * 10))
	while [ "$ui_tries" -gt 0 ]; do
		ui_capture
		grep -qF -- "$1" "$ui_tmp/screen" || return 0
		sleep 0.1
		ui_tries=$((ui_tries - 1))
	done
	return 1
}

# Polls until line N (1-based) of the screen contains TEXT.
ui_wait_line() {
	ui_tries=$((UI_TIMEOUT * 10))
	while [ "$ui_tries" -gt 0 ]; do
		ui_capture
		sed -n "$1p" "$ui_tmp/screen" | grep -qF -- "$2" && return 0
		sleep 0.1
		ui_tries=$((ui_tries - 1))
	done
	return 1
}

# Polls until warroom has exited with status STATUS.
ui_wait_exit() {
	ui_tries=$((UI_TIMEOUT * 10))
	while [ "$ui_tries" -gt 0 ]; do
		if [ -f "$ui_tmp/exit" ]; then
			[ "$(cat "$ui_tmp/exit")" = "$1" ]
			return
		fi
		sleep 0.1
		ui_tries=$((ui_tries - 1))
	done
	return 1
}

# Sends signal SIG (TERM, HUP, INT) to the running warroom.
ui_signal() {
	kill -s "$1" "$(cat "$ui_tmp/pid")"
}

# Sends tmux key names ("Enter", "Escape", "C-g", "Down") or literal text with -l.
ui_keys() {
	ui_tmux send-keys -t "$ui_session" "$@"
}

# Types TEXT literally.
ui_type() {
	ui_tmux send-keys -t "$ui_session" -l -- "$1"
}

# Resizes the session's window to COLS x ROWS.
ui_resize() {
	ui_tmux resize-window -t "$ui_session" -x "$1" -y "$2"
}

# Runs warroom outside tmux with output in $ui_tmp/out and $ui_tmp/err; sets $status.
run() {
	"$@" >"$ui_tmp/out" 2>"$ui_tmp/err"
	status=$?
}

# Records one TAP result: pass when the command after NAME succeeds. A
# failure shows the last captured screen.
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
		sed 's/^/#   screen: /' "$ui_tmp/screen" 2>/dev/null
		sed 's/^/#   stderr: /' "$ui_tmp/err" 2>/dev/null | head -n 20
	fi
}

# Counts rows in the test database that match the SQL condition WHERE of TABLE.
rows() {
	sqlite3 "$WARROOM_DB" "SELECT count(*) FROM $1 WHERE $2"
}

# Passes when the SQL query QUERY on the test database prints EXPECTED.
db_is() {
	[ "$(sqlite3 "$WARROOM_DB" "$1")" = "$2" ]
}

# Polls until the SQL query QUERY on the test database prints EXPECTED.
ui_wait_db() {
	ui_tries=$((UI_TIMEOUT * 10))
	while [ "$ui_tries" -gt 0 ]; do
		[ "$(sqlite3 "$WARROOM_DB" "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.1
		ui_tries=$((ui_tries - 1))
	done
	return 1
}

# Passes when the last captured screen contains TEXT.
# The last capture may have been taken while the console was still writing
# a screen, above all on a loaded machine, so both checks capture the same
# session again for up to two seconds before they fail.
screen_has() {
	grep -qF -- "$1" "$ui_tmp/screen" && return 0
	screen_timeout=$UI_TIMEOUT
	UI_TIMEOUT=2
	ui_wait_in "${ui_screen_of:-$ui_session}" "$1"
	screen_status=$?
	UI_TIMEOUT=$screen_timeout
	return "$screen_status"
}

screen_lacks() {
	grep -qF -- "$1" "$ui_tmp/screen" || return 0
	screen_timeout=$UI_TIMEOUT
	UI_TIMEOUT=2
	ui_wait_gone_in "${ui_screen_of:-$ui_session}" "$1"
	screen_status=$?
	UI_TIMEOUT=$screen_timeout
	return "$screen_status"
}

finish() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
