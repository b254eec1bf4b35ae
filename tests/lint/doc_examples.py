#!/usr/bin/env python3
"""Run the SQL examples of docs/rules/<id>.md through `migrate lint`.

Every ```sql block under `## Bad` must produce a finding of <id>; every
```sql block under `## Good` must produce no finding of <id> at warning or
error. Each block is linted as one migration file (in the runner's
transaction unless it says -- migrate:no-transaction). A block whose first
line is `-- dialect: sqlite` is linted with --dialect sqlite; one whose
first line is `-- lint: ARGS` gets those extra arguments (e.g.
`-- lint: --pg-version 11`). Only rules whose src/lint/rules/<id>.c exists
are checked, so the test passes while rules are being added.

usage: doc_examples.py MIGRATE_BIN SOURCE_DIR [RULE_ID...]
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile


def blocks(md):
    """Yield (section, first_line_number, sql) for ```sql blocks under
    ## Bad / ## Good."""
    section = None
    lines = md.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^##\s+(\S.*?)\s*$", line)
        if m and not line.startswith("###"):
            section = m.group(1)
        elif re.match(r"^```sql\s*$", line) and section in ("Bad", "Good"):
            start = i + 1
            body = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            yield section, start + 1, "\n".join(body) + "\n"
        i += 1


def lint(binary, sql, tmpdir, n):
    args = []
    first = sql.split("\n", 1)[0].strip()
    if re.match(r"^--\s*dialect:\s*sqlite\s*$", first):
        args += ["--dialect", "sqlite"]
    m = re.match(r"^--\s*lint:\s*(.*)$", first)
    if m:
        args += shlex.split(m.group(1))
    path = os.path.join(tmpdir, "example_%d.sql" % n)
    with open(path, "w", encoding="utf-8") as f:
        f.write(sql)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("MIGRATE_") and k not in (
               "DATABASE_URL", "MIGRATIONS_DIR")}
    p = subprocess.run([binary, "lint", "--format", "json", *args, path],
                       capture_output=True, text=True, cwd=tmpdir, env=env)
    if p.returncode not in (0, 1, 2):
        return None, "exit %d: %s" % (p.returncode, p.stderr.strip())
    try:
        return json.loads(p.stdout), None
    except ValueError:
        return None, "no JSON output (exit %d): %s" % (p.returncode,
                                                      p.stderr.strip())


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    binary, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    only = set(sys.argv[3:])
    rules_dir = os.path.join(src, "src", "lint", "rules")
    ids = sorted(f[:-2] for f in os.listdir(rules_dir) if f.endswith(".c"))
    failed = passed = 0
    with tempfile.TemporaryDirectory() as tmp:
        n = 0
        for rid in ids:
            if only and rid not in only:
                continue
            doc = os.path.join(src, "docs", "rules", rid + ".md")
            if not os.path.exists(doc):
                continue  # check-rules.sh reports missing docs
            with open(doc, encoding="utf-8") as f:
                md = f.read()
            for section, line, sql in blocks(md):
                n += 1
                out, err = lint(binary, sql, tmp, n)
                where = "docs/rules/%s.md:%d (%s)" % (rid, line, section)
                if out is None:
                    print("FAIL %s: %s" % (where, err))
                    failed += 1
                    continue
                mine = [d for d in out.get("diagnostics", [])
                        if d.get("rule") == rid]
                bad = [d for d in out.get("diagnostics", [])
                       if d.get("rule") in ("syntax-error", "input-error")]
                if section == "Bad" and not mine:
                    print("FAIL %s: expected a %s finding, got %s" % (
                        where, rid, [d["rule"] for d in out["diagnostics"]]))
                    failed += 1
                elif section == "Good" and [d for d in mine if d.get(
                        "severity") in ("warning", "error")]:
                    d = mine[0]
                    print("FAIL %s: unexpected %s %s at line %d: %s" % (
                        where, d["severity"], rid, d["line"], d["message"]))
                    failed += 1
                elif bad:
                    print("FAIL %s: %s at line %d: %s" % (
                        where, bad[0]["rule"], bad[0]["line"], bad[0]["message"]))
                    failed += 1
                else:
                    passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
