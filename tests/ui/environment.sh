#!/bin/sh
# Console test: bad environments, each with a clear message and a working
# fallback. An unknown TERM falls back to vt100 and says so; a locale that
# is not UTF-8 draws ASCII and shows "?" for characters it cannot show; a
# database on a read-only file system is viewed, and a commander is told
# why and offered to view it read-only; a full disk keeps a draft on the
# screen with "disk full" on the message line until there is room again;
# a corrupted database is reported and left byte for byte as it was. The
# file system cases need root and mount; without them they are skipped.
. "$srcdir/tests/ui/lib.sh"

id=INC-2018-0001
run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" test "$status" -eq 0

# An unknown terminal type.
ui_start TERM=xterm-nonexistent -- open $id
check "console opens on an unknown TERM" ui_wait "$id"
check "fallback said" screen_has 'TERM "xterm-nonexistent" is unknown to terminfo: using vt100.'
check "fix said" screen_has "such as xterm-256color"
check "lines drawn in Unicode" screen_has "┬─"
ui_keys q
check "quits on vt100" ui_wait_exit 0

# A locale that is not UTF-8.
run "$WARROOM" note $id "$(printf 'Caf\303\251 d\342\234\223ne')"
check "note with accents added" test "$status" -eq 0
ui_start LC_ALL=C -- view $id
check "console opens in the C locale" ui_wait "$id"
check "unshowable characters as ?" screen_has "Caf? d?ne"
# The viewer opens on the timeline alone; `t` brings the pane and its border.
ui_keys t
check "ASCII borders" ui_wait "|-- "
ui_keys q
check "quits in the C locale" ui_wait_exit 0

# A terminal below the minimum size.
UI_COLS=60 UI_ROWS=20 ui_start -- view $id
check "too small said" ui_wait "Terminal too small: enlarge to at least 80"
ui_keys q
check "quits while too small" ui_wait_exit 0

# A corrupted database: reported, exit 1, the file left as it was.
corrupt=$ui_tmp/corrupt.db
run "$WARROOM" --db "$corrupt" import "$fixtures/card-auth-switch-failure.json"
check "database to corrupt imported" test "$status" -eq 0
python3 - "$corrupt" <<'EOF'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(3 * 4096)
    f.write(bytes(range(256)) * 16)
EOF
sum_before=$(sha256sum "$corrupt" | cut -d' ' -f1)
for command in "open $id" "view $id" "view"; do
	# shellcheck disable=SC2086 # the command's words
	ui_start WARROOM_DB="$corrupt" -- $command
	check "$command on a corrupt database exits 1" ui_wait_exit 1
	check "$command says corrupt" ui_wait "the database is corrupt"
done
ui_start WARROOM_DB="$corrupt" --
check "list on a corrupt database exits 1" ui_wait_exit 1
check "corrupt file unchanged" test "$(sha256sum "$corrupt" | cut -d' ' -f1)" = "$sum_before"

# The file system cases: root, mount and tmpfs needed.
can_mount=0
if [ "$(id -u)" -eq 0 ] && mkdir -p "$ui_tmp/probe" &&
	mount -t tmpfs -o size=64k tmpfs "$ui_tmp/probe" 2>/dev/null; then
	umount "$ui_tmp/probe"
	can_mount=1
fi
mounts=""
cleanup_mounts() {
	for m in $mounts; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
}
trap 'cleanup_mounts; ui_cleanup' EXIT

# A read-only file system: a read-only bind mount of a folder holding a database.
if [ $can_mount -eq 1 ]; then
	mkdir -p "$ui_tmp/rw" "$ui_tmp/ro"
	run "$WARROOM" --db "$ui_tmp/rw/ro.db" import "$fixtures/card-auth-switch-failure.json"
	check "database for the read-only mount" test "$status" -eq 0
	mount --bind "$ui_tmp/rw" "$ui_tmp/ro" && mounts="$ui_tmp/ro $mounts" &&
		mount -o remount,ro,bind "$ui_tmp/ro"
	check "mount is read-only" sh -c "! touch '$ui_tmp/ro/probe' 2>/dev/null"
	ro=$ui_tmp/ro/ro.db

	ui_start WARROOM_DB="$ro" -- view $id
	check "viewer works on a read-only file system" ui_wait "READ-ONLY"
	check "viewer shows the incident" screen_has "Card authorisations failing"
	ui_keys q
	check "viewer quits" ui_wait_exit 0

	ui_start WARROOM_DB="$ro" -- open $id
	check "commander told why" ui_wait "The database cannot be written"
	check "read-only file system named" screen_has "read-only file system"
	check "view or quit offered" screen_has "[v] view read-only  [q] quit"
	ui_keys v
	check "commander views read-only" ui_wait "READ-ONLY"
	ui_keys m
	check "commander's note refused" ui_wait "Read-only viewer: the database cannot be written"
	ui_keys q
	check "read-only commander quits" ui_wait_exit 0

	ui_start WARROOM_DB="$ro" -- open $id
	ui_wait "[q] quit"
	ui_keys q
	check "q in the question quits" ui_wait_exit 0
else
	skip "read-only file system" "needs root and mount"
fi

# A full disk: a small tmpfs filled up while a draft is typed.
if [ $can_mount -eq 1 ]; then
	mkdir -p "$ui_tmp/small"
	mount -t tmpfs -o size=1m tmpfs "$ui_tmp/small" && mounts="$ui_tmp/small $mounts"
	full=$ui_tmp/small/full.db
	run "$WARROOM" --db "$full" import "$fixtures/card-auth-switch-failure.json"
	check "database on the small disk" test "$status" -eq 0

	ui_start WARROOM_DB="$full" -- open $id
	check "commander on the small disk" ui_wait "Cmdr alice@"
	ui_keys u
	ui_wait "Audience of the update"
	ui_keys Enter
	ui_wait "Status update to Customer Service"
	ui_keys C-u
	ui_type "Saved before the disk filled. "
	check "first words saved" ui_wait ", saved"
	dd if=/dev/zero of="$ui_tmp/small/filler" bs=4096 >/dev/null 2>&1
	ui_type "Typed on a full disk."
	check "disk full said" ui_wait "disk full, nothing was saved"
	check "title says not saved" screen_has "NOT SAVED"
	check "draft kept on screen" screen_has "Saved before the disk filled. Typed on a full disk."
	rm -f "$ui_tmp/small/filler"
	check "saved once there is room" ui_wait ", saved"
	check "whole draft stored" test "$(sqlite3 -readonly "$full" \
		"SELECT text FROM updates WHERE state = 'draft'")" = \
		"Saved before the disk filled. Typed on a full disk."
	ui_keys Escape
	ui_wait "saved, not approved"
	ui_keys q
	ui_wait "Quit?"
	ui_keys Down Enter
	check "quits after the full disk" ui_wait_exit 0
else
	skip "full disk" "needs root and mount"
fi
finish
