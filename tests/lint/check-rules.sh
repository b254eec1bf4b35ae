#!/usr/bin/env bash
# check-rules.sh [SOURCE_DIR]: every rule is complete (ESLint's checkRuleFiles).
#
# For each src/lint/rules/<id>.c:
#   - it defines `const struct mg_rule mg_rule_<id with - as _>` with
#     .id = "<id>" and a .default_severity;
#   - rules/<id>.json exists, is valid JSON with "id" = <id>, the same
#     severity as the C file, and non-empty summary, why, help and
#     safe_alternative;
#   - docs/rules/<id>.md exists, its front matter names the id and the same
#     severity, and it has the sections Why, Bad, Good, Safe rollout,
#     Options, Suppression in that order, with at least one ```sql block
#     under Bad and under Good.
# JSON files and docs without a C file are listed as notes only, so the
# check passes while rules are being added. Exit 1 on any problem.
set -uo pipefail

src=${1:-$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)}
cd "$src" || exit 2
exec python3 - <<'PY'
import json, os, re, sys

problems = []
def problem(msg):
    problems.append(msg)

ids = sorted(f[:-2] for f in os.listdir("src/lint/rules") if f.endswith(".c"))
for rid in ids:
    c = "src/lint/rules/%s.c" % rid
    code = open(c, encoding="utf-8", errors="replace").read()
    sym = rid.replace("-", "_")
    if not re.search(r"const struct mg_rule mg_rule_%s\b" % re.escape(sym), code):
        problem("%s: does not define 'const struct mg_rule mg_rule_%s'" % (c, sym))
    if not re.search(r'\.id\s*=\s*"%s"' % re.escape(rid), code):
        problem('%s: .id is not "%s"' % (c, rid))
    m = re.search(r"\.default_severity\s*=\s*MG_SEV_([A-Z]+)", code)
    csev = m.group(1).lower() if m else None
    if not csev:
        problem("%s: no .default_severity = MG_SEV_..." % c)

    j = "rules/%s.json" % rid
    if not os.path.isfile(j):
        problem("%s: %s is missing" % (rid, j))
    else:
        try:
            meta = json.load(open(j, encoding="utf-8"))
        except ValueError as e:
            problem("%s: not valid JSON: %s" % (j, e))
            meta = None
        if meta is not None and not isinstance(meta, dict):
            problem("%s: not a JSON object" % j)
        elif meta is not None:
            if meta.get("id") != rid:
                problem('%s: "id" is %r, expected %r' % (j, meta.get("id"), rid))
            if csev and meta.get("severity") != csev:
                problem('%s: "severity" is %r but the C file says %r'
                        % (j, meta.get("severity"), csev))
            for k in ("summary", "why", "help", "safe_alternative"):
                v = meta.get(k)
                if not v or not isinstance(v, (str, dict)):
                    problem('%s: "%s" is missing or empty' % (j, k))

    d = "docs/rules/%s.md" % rid
    if not os.path.isfile(d):
        problem("%s: %s is missing" % (rid, d))
        continue
    text = open(d, encoding="utf-8").read()
    fm = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if not fm:
        problem("%s: no front matter (--- id: ... ---)" % d)
    else:
        kv = dict(l.split(":", 1) for l in fm.group(1).split("\n") if ":" in l)
        kv = {k.strip(): v.strip() for k, v in kv.items()}
        if kv.get("id") != rid:
            problem("%s: front matter id is %r" % (d, kv.get("id")))
        if csev and kv.get("severity") != csev:
            problem("%s: front matter severity is %r but the C file says %r"
                    % (d, kv.get("severity"), csev))
    want = ["Why", "Bad", "Good", "Safe rollout", "Options", "Suppression"]
    have = re.findall(r"^## (.+?)\s*$", text, re.M)
    pos = [have.index(w) if w in have else -1 for w in want]
    for w, p in zip(want, pos):
        if p < 0:
            problem("%s: section '## %s' is missing" % (d, w))
    if all(p >= 0 for p in pos) and pos != sorted(pos):
        problem("%s: sections are not in the order %s" % (d, ", ".join(want)))
    for sec in ("Bad", "Good"):
        m = re.search(r"^## %s\s*$(.*?)(?=^## |\Z)" % sec, text, re.M | re.S)
        if m and "```sql" not in m.group(1):
            problem("%s: no ```sql example under '## %s'" % (d, sec))

for f in sorted(os.listdir("rules")):
    if f.endswith(".json") and f[:-5] not in ids:
        print("check-rules: note: rules/%s has no src/lint/rules/%s.c yet"
              % (f, f[:-5]))

for p in problems:
    print("check-rules: " + p, file=sys.stderr)
if problems:
    print("check-rules: FAILED (%d rules checked)" % len(ids), file=sys.stderr)
    sys.exit(1)
print("check-rules: %d rules complete" % len(ids))
PY
