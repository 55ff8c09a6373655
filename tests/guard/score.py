#!/usr/bin/env python3
"""Measure the guardrails' precision and recall on labelled status updates.

Runs tests/guard_corpus (audience cs, no incident) over tests/guard/labelled.tsv
and compares the rules it reports per row with the hand labels there. Prints
TAP: one test per rule and measure, failing below the floor set in FLOORS.
Rules with labels but no floor are reported as comments. The time the run
took is printed as a comment too; it is not a test.
"""
import os
import subprocess
import sys
import time

# (rule, measure) -> the lowest acceptable value.
FLOORS = {
    ("fix-time-promise", "precision"): 0.9,
    ("fix-time-promise", "recall"): 0.9,
    ("vendor-blame", "precision"): 0.9,
    ("vendor-blame", "recall"): 0.9,
    ("internal-detail", "precision"): 0.8,
    ("internal-detail", "recall"): 0.85,
    ("security-detail", "precision"): 0.8,
    ("security-detail", "recall"): 0.85,
}


def read_labels(path):
    """Return (rule ids, rows), each row (update_id, text, {rule: 0/1})."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header[:2] != ["update_id", "text"] or len(header) < 3:
            raise SystemExit(f"Bail out! {path}: header must be update_id, text, then one column per rule")
        rules = header[2:]
        rows = []
        for number, line in enumerate(f, start=2):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != len(header):
                raise SystemExit(f"Bail out! {path}:{number}: {len(fields)} columns, expected {len(header)}")
            labels = {}
            for rule, value in zip(rules, fields[2:]):
                if value not in ("0", "1"):
                    raise SystemExit(f"Bail out! {path}:{number}: label {rule} is {value!r}, not 0 or 1")
                labels[rule] = value == "1"
            rows.append((fields[0], fields[1], labels))
    return rules, rows


def run_checker(program, playbook, rows):
    """Return {update_id: set of rule ids} and the seconds the checker took."""
    corpus = "".join(f"{uid}\t{text}\n" for uid, text, _ in rows)
    start = time.monotonic()
    result = subprocess.run([program, "--playbook", playbook, "--audience", "cs"],
                            input=corpus.encode("utf-8"), capture_output=True, check=False)
    elapsed = time.monotonic() - start
    if result.returncode != 0:
        raise SystemExit(f"Bail out! {program} exited {result.returncode}: "
                         f"{result.stderr.decode('utf-8', 'replace').strip()}")
    found = {}
    for line in result.stdout.decode("utf-8").splitlines():
        uid, _, ids = line.partition("\t")
        found[uid] = set(filter(None, ids.split(",")))
    missing = [uid for uid, _, _ in rows if uid not in found]
    if missing:
        raise SystemExit(f"Bail out! {program} printed nothing for {missing[0]}")
    return found, elapsed


def main():
    srcdir = os.environ.get("srcdir", ".")
    labelled = os.path.join(srcdir, "tests", "guard", "labelled.tsv")
    playbook = os.path.join(srcdir, "data", "playbook.cfg")
    program = os.environ.get("GUARD_CORPUS", os.path.join("tests", "guard_corpus"))
    verbose = "-v" in sys.argv[1:]

    rules, rows = read_labels(labelled)
    found, elapsed = run_checker(program, playbook, rows)

    count = 0
    failed = 0
    for rule in rules:
        tp = sum(1 for uid, _, lab in rows if lab[rule] and rule in found[uid])
        fp = sum(1 for uid, _, lab in rows if not lab[rule] and rule in found[uid])
        fn = sum(1 for uid, _, lab in rows if lab[rule] and rule not in found[uid])
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        print(f"# {rule}: {tp + fn} labelled, {tp} found, {fp} false positives, {fn} missed")
        for measure, value in (("precision", precision), ("recall", recall)):
            floor = FLOORS.get((rule, measure))
            if floor is None:
                print(f"# {rule} {measure} {value:.3f} (no floor)")
                continue
            count += 1
            good = value >= floor
            failed += not good
            print(f"{'ok' if good else 'not ok'} {count} - {rule} {measure} {value:.3f} >= {floor}")
        if verbose:
            for uid, text, lab in rows:
                if lab[rule] != (rule in found[uid]):
                    kind = "missed" if lab[rule] else "false positive"
                    print(f"#   {kind}: {uid}: {text[:160]}")
    print(f"# {len(rows)} rows checked in {elapsed:.3f} s (process start included)")
    print(f"1..{count}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
