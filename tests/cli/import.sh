#!/bin/sh
# Command-line tests of `warroom import`: the real handoffs, re-import,
# standard input, and each malformed input getting one error and storing nothing.
. "$srcdir/tests/lib.sh"

run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import fixture exits 0" status_is 0
check "import prints id, outcome, reference" \
	out_is "$(printf 'INC-2026-0001\timported\tDASH-2018-06-01-0007')"

run "$WARROOM" show INC-2026-0001 --format json
check "show json exits 0" status_is 0
check "suggested severity sev0" out_has '"suggested_severity": "sev0"'
check "suggestion rule payments-blocked" out_has '"suggestion_rule": "payments-blocked'
check "priority kept" out_has '"priority": "P1"'
check "channels kept" out_has '"e-commerce"'

run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "re-import exits 0" status_is 0
check "re-import is a no-op" \
	out_is "$(printf 'INC-2026-0001\talready imported\tDASH-2018-06-01-0007')"
check "re-import stores no incident" [ "$(rows incidents)" -eq 1 ]

for f in card-processor-supplier-declines cdn-config-global-errors core-banking-migration-logins; do
	run "$WARROOM" import "$fixtures/$f.json"
	check "import $f" status_is 0
done
check "four incidents stored" [ "$(rows incidents)" -eq 4 ]

run "$WARROOM" list --format tsv
check "list tsv has four rows" out_lines 4
check "list tsv starts with the id" out_has '^INC-2026-0003	sev0\|^INC-2026-0003		sev0'

for id in INC-2026-0002 INC-2026-0003 INC-2026-0004; do
	run "$WARROOM" show "$id" --format json
	check "$id suggested sev0" out_has '"suggested_severity": "sev0"'
done

events_before=$(rows events)
evidence_before=$(rows evidence)

# An array whose third element has a bad priority: the whole file is refused.
cat >"$test_tmp/bad.json" <<'JSON'
[
  {"summary": "first good", "source": "t", "reference": "A"},
  {"summary": "second good", "source": "t", "reference": "B"},
  {"summary": "third bad", "source": "t", "reference": "C", "priority": "urgent"}
]
JSON
run "$WARROOM" import "$test_tmp/bad.json"
check "bad priority exits 2" status_is 2
check "bad priority names index and field" err_has 'bad.json: \[2\]\.priority: expected one of P0'
check "bad priority names the value" err_has '"urgent"'
check "bad file says the good ones wait too" \
	err_has 'bad.json: nothing was imported; fix the errors above and import the file again$'
check "bad file stores no incident" [ "$(rows incidents)" -eq 4 ]
check "bad file stores no event" [ "$(rows events)" -eq "$events_before" ]
check "bad file stores no evidence" [ "$(rows evidence)" -eq "$evidence_before" ]

printf '{"summary": "x",\n "priority": }\n' >"$test_tmp/syntax.json"
run "$WARROOM" import "$test_tmp/syntax.json"
check "invalid JSON exits 2" status_is 2
check "invalid JSON names the line" err_has 'syntax.json:2'
check "invalid JSON stores nothing" [ "$(rows incidents)" -eq 4 ]

printf '{"source": "t", "reference": "D"}' >"$test_tmp/nosummary.json"
run "$WARROOM" import "$test_tmp/nosummary.json"
check "missing summary exits 2" status_is 2
check "missing summary names the field" err_has 'summary'

printf '{"summary": "from stdin", "source": "t", "reference": "E"}' >"$test_tmp/stdin.json"
run "$WARROOM" import - <"$test_tmp/stdin.json"
check "standard input imports" status_is 0
check "standard input prints the id" out_has 'INC-2026-0005	imported	E'

printf '{"summary": "odd indicator", "source": "t", "reference": "F", "risk_indicators": ["moon_phase"]}' \
	>"$test_tmp/unknown.json"
run "$WARROOM" import "$test_tmp/unknown.json"
check "unknown indicator still imports" status_is 0
check "unknown indicator warns" err_has 'moon_phase'

# Escape sequences in a summary must reach the terminal escaped.
printf '{"summary": "bell\\u0007 and \\u001b[31mred", "source": "t", "reference": "G"}' >"$test_tmp/esc.json"
run "$WARROOM" import "$test_tmp/esc.json"
check "control characters import" status_is 0
run "$WARROOM" list
check "list escapes ESC" out_has 'bell\\x07 and \\e\[31mred'
check "list sends no raw ESC" sh -c "! grep -q \"$(printf '\033')\" '$test_tmp/out'"

run "$WARROOM" import "$test_tmp/does-not-exist.json"
check "missing file exits 2" status_is 2
check "missing file is named" err_has 'does-not-exist.json'

finish
