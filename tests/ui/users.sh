#!/bin/sh
# Console test: commanders and an observer who are separate Unix users, as
# on a jump host laid out as the README's "Running on a jump host" says:
# a folder only the observers' group may enter (warroom-test, commanders
# are members too), and inside it the database's folder, writable by the
# commanders' group (warroom-test-cmd) and readable by everyone who got
# in. The observer follows the incident read-only and is counted; a second
# commander can take over; when a file is not readable or the -wal and -shm
# files are missing, `warroom view` says which file and what to fix. Needs
# root to create the users and groups (removed at the end); skipped
# otherwise.
. "$srcdir/tests/ui/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP needs root to create users"
	exit 0
fi
for tool in useradd userdel groupadd groupdel setpriv; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "1..0 # SKIP $tool not found"
		exit 0
	fi
done

group=warroom-test
commanders=warroom-test-cmd
commander=wrtcmd$$
second=wrtsec$$
observer=wrtobs$$
made_groups=""
users_cleanup() {
	for user in "$commander" "$second" "$observer"; do
		userdel "$user" >/dev/null 2>&1
	done
	for g in $made_groups; do
		groupdel "$g" >/dev/null 2>&1
	done
	ui_cleanup
}
trap users_cleanup EXIT
for g in "$group" "$commanders"; do
	if ! getent group "$g" >/dev/null; then
		groupadd "$g" || exit 99
		made_groups="$made_groups $g"
	fi
done
useradd -M -N -g "$commanders" -G "$group" -s /bin/sh "$commander" || exit 99
useradd -M -N -g "$commanders" -G "$group" -s /bin/sh "$second" || exit 99
useradd -M -N -g "$group" -s /bin/sh "$observer" || exit 99

# Every user needs to reach the binary, the playbook and this folder.
chmod 0711 "$ui_tmp"
if ! setpriv --reuid="$observer" --regid="$group" --clear-groups test -x "$WARROOM" ||
	! setpriv --reuid="$observer" --regid="$group" --clear-groups \
		test -r "$WARROOM_PLAYBOOK"; then
	echo "1..0 # SKIP the other users cannot run $WARROOM or read the playbook"
	exit 0
fi

srv=$ui_tmp/srv
db=$srv/data/warroom.db
install -d -o root -g "$group" -m 0750 "$srv"
install -d -o root -g "$commanders" -m 2775 "$srv/data"
for user in "$commander" "$second" "$observer"; do
	install -d -o "$user" -m 0700 "$ui_tmp/home-$user"
done
cat >"$ui_tmp/warroom.cfg" <<EOF
database = "$db";
observers_group = "$group";
EOF
chmod 0644 "$ui_tmp/warroom.cfg"

# Runs warroom as one of the users: as-USER ARGS...
real=$WARROOM
for user in "$commander" "$second" "$observer"; do
	cat >"$ui_tmp/as-$user" <<EOF
#!/bin/sh
exec setpriv --reuid=$user --regid=\$(id -g $user) --init-groups env HOME="$ui_tmp/home-$user" \
	XDG_CONFIG_HOME="$ui_tmp/home-$user" XDG_DATA_HOME="$ui_tmp/home-$user" \
	WARROOM_SETTINGS="$ui_tmp/warroom.cfg" WARROOM_ACTOR=$user "$real" "\$@"
EOF
	chmod 0755 "$ui_tmp/as-$user"
done
# Polls until QUERY on the shared database prints EXPECTED.
db_wait() {
	tries=$((UI_TIMEOUT * 10))
	while [ "$tries" -gt 0 ]; do
		[ "$(sqlite3 -readonly "$db" "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

as_commander=$ui_tmp/as-$commander
as_second=$ui_tmp/as-$second
as_observer=$ui_tmp/as-$observer
unset WARROOM_DB

id=INC-2018-0001
run "$as_commander" import "$fixtures/card-auth-switch-failure.json"
check "commander imports" test "$status" -eq 0
check "database owned by the commander" test "$(stat -c %U "$db")" = "$commander"

# The new database is private (0600): the observer is told to ask for access.
WARROOM=$as_observer
ui_start_in obs -- view $id
check "private database refused" ui_wait_exit_in obs 1
check "read access explained" ui_wait_in obs "you need read access to $db"
check "group named" screen_has "their group $commanders"

# The commander shares it, as the README says.
run setpriv --reuid="$commander" --regid="$commanders" --init-groups \
	chmod 0664 "$db" "$db-wal" "$db-shm"
check "commander shares the files" test "$status" -eq 0

WARROOM=$as_commander
ui_start -- open $id
check "commander's console opens" ui_wait "Cmdr $commander@"
check "presence folder shared with the group" \
	test "$(stat -c '%a %G' "$db.observers")" = "1770 $group"
WARROOM=$as_observer
ui_start_in obs -- view $id
check "observer's console opens" ui_wait_in obs "READ-ONLY"
check "observer sees the commander" screen_has "Cmdr $commander@"
check "commander counts the observer" ui_wait "observers: 1"
check "observer's entry is the observer's" \
	test "$(stat -c %U "$db.observers"/* | sort -u)" = "$observer"

ui_keys m
ui_wait "Add a note to the timeline"
ui_type "Seen by the other user"
start=$(ui_now_ms)
ui_keys Enter
check "note reaches the observer" ui_wait_in obs "Seen by the other user"
echo "# latency to the other user's console: $(($(ui_now_ms) - start)) ms (includes polling)"
ui_keys_in obs m
check "observer cannot add notes" ui_wait_in obs "Read-only viewer"
ui_keys_in obs q
check "observer quits" ui_wait_exit_in obs 0
check "observer's entry removed" test -z "$(ls -A "$db.observers")"
check "commander counts none" ui_wait "observers: 0"
ui_keys q
check "commander quits" ui_wait_exit 0
check "files still the commander's" test "$(stat -c %U "$db-wal" "$db-shm" | sort -u)" = "$commander"

# A second commander writes through the commanders' group.
WARROOM=$as_second
ui_start -- open $id
check "second commander takes command" ui_wait "Cmdr $second@"
ui_keys m
ui_wait "Add a note to the timeline"
ui_type "Second shift starts"
ui_keys Enter
check "second commander's note stored" \
	db_wait "SELECT actor FROM events WHERE details = 'Second shift starts'" "$second"
ui_keys q
check "second commander quits" ui_wait_exit 0
WARROOM=$as_observer

# An unreadable -shm: the message names it and the fix.
chmod 0600 "$db-shm"
ui_start_in obs -- view $id
check "unreadable -shm refused" ui_wait_exit_in obs 1
check "unreadable -shm named" ui_wait_in obs "$db-shm is not readable for you"
check "chmod --reference suggested" screen_has "chmod --reference=$db"
chmod 0664 "$db-shm"

# Missing -wal and -shm in a folder the observer cannot write.
rm -f "$db-wal" "$db-shm"
ui_start_in obs -- view $id
check "missing -shm refused" ui_wait_exit_in obs 1
check "asks for a read-write open" \
	ui_wait_in obs "ask the commander to open the database once read-write"
WARROOM=$as_commander
ui_start -- open $id
check "commander opens once" ui_wait "Cmdr $commander@"
ui_keys q
check "commander quits again" ui_wait_exit 0
check "files left in place with the database's mode" \
	test "$(stat -c %a "$db-wal" "$db-shm" | sort -u)" = "664"
WARROOM=$as_observer
ui_start_in obs -- view $id
check "observer reads again" ui_wait_in obs "READ-ONLY"
ui_keys_in obs q
check "observer quits again" ui_wait_exit_in obs 0
finish
