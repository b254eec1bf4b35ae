#!/usr/bin/env python3
"""Golden tests: tests/lint/<id>/ holds cases for rule (or engine
diagnostic) <id>. A rule's cases run with that rule alone (--only <id>);
an engine diagnostic's cases run with the three sample rules.

  bad-NAME.sql   linted alone; `migrate lint --color never` output must equal
                 bad-NAME.expected byte for byte and contain a [<id>] finding
  bad-NAME/      a directory of migrations, linted as a whole (history
                 matters: earlier files give the schema context); compared
                 with bad-NAME.expected the same way
  ok-NAME.sql    must produce no finding of <id>
  ok-NAME/       the same, for a directory

The first line of a .sql file (or of a directory's `args` file) may be
`-- lint: ARGS` for extra arguments (e.g. --pg-version 16). Commands run in
the case's directory, so paths in the output are relative. Set
MIGRATE_UPDATE_GOLDEN=1 to (re)write the .expected files, then review the
diff.

usage: goldens.py MIGRATE_BIN CASE_DIR...
"""
import os
import re
import shlex
import subprocess
import sys


def extra_args(path):
    f = os.path.join(path, "args") if os.path.isdir(path) else path
    if not os.path.isfile(f):
        return []
    with open(f, encoding="utf-8", errors="replace") as fh:
        first = fh.readline().strip()
    m = re.match(r"^--\s*lint:\s*(.*)$", first)
    return shlex.split(m.group(1)) if m else []


# The engine's own diagnostics are tested with these rules only, so their
# goldens do not change when other rules do.
SAMPLE_RULES = ["drop-column", "create-index-non-concurrent",
                "concurrently-in-transaction"]


def run(binary, cwd, name, only):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("MIGRATE_") and k not in (
               "DATABASE_URL", "MIGRATIONS_DIR", "NO_COLOR")}
    sel = []
    for r in only:
        sel += ["--only", r]
    args = [binary, "lint", "--color", "never", *sel, *extra_args(
        os.path.join(cwd, name)), name]
    p = subprocess.run(args, capture_output=True, cwd=cwd, env=env)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    update = os.environ.get("MIGRATE_UPDATE_GOLDEN") == "1"
    rules = subprocess.run([binary, "lint", "--list-rules", "--format", "json"],
                           capture_output=True, text=True)
    import json
    known = {r["id"] for r in json.loads(rules.stdout)["rules"]}
    failed = passed = 0
    for d in sys.argv[2:]:
        d = os.path.abspath(d)
        rid = os.path.basename(d.rstrip("/"))
        tag = "[%s]" % rid
        # a rule's cases run that rule alone; engine diagnostics' cases run
        # the sample rules
        only = [rid] if rid in known else SAMPLE_RULES
        for name in sorted(os.listdir(d)):
            full = os.path.join(d, name)
            is_case = name.endswith(".sql") or (
                os.path.isdir(full) and not name.startswith("."))
            if not is_case or not (name.startswith("bad-") or
                                   name.startswith("ok-")):
                continue
            stem = name[:-4] if name.endswith(".sql") else name
            rc, out, err = run(binary, d, name, only)
            where = "%s/%s" % (rid, name)
            if rc not in (0, 1, 2) or "AddressSanitizer" in err or \
                    "runtime error" in err:
                print("FAIL %s: exit %d\n%s" % (where, rc, err))
                failed += 1
                continue
            if name.startswith("ok-"):
                hits = [l for l in out.split("\n") if l.endswith(tag)]
                if hits:
                    print("FAIL %s: unexpected finding:\n  %s" % (
                        where, "\n  ".join(hits)))
                    failed += 1
                else:
                    passed += 1
                continue
            exp_path = os.path.join(d, stem + ".expected")
            if tag not in out:
                print("FAIL %s: no %s finding in:\n%s" % (where, rid, out))
                failed += 1
                continue
            if update:
                with open(exp_path, "w", encoding="utf-8") as f:
                    f.write(out)
                passed += 1
                continue
            try:
                with open(exp_path, encoding="utf-8") as f:
                    want = f.read()
            except OSError:
                print("FAIL %s: %s.expected is missing (run with "
                      "MIGRATE_UPDATE_GOLDEN=1)" % (where, stem))
                failed += 1
                continue
            if want != out:
                import difflib
                diff = difflib.unified_diff(
                    want.splitlines(True), out.splitlines(True),
                    stem + ".expected", "actual")
                print("FAIL %s: output differs:\n%s" % (where, "".join(diff)))
                failed += 1
            else:
                passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
