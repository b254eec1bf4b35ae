#!/usr/bin/env python3
"""Structural checks of `migrate lint` machine output (docs/lint-output.md).

usage: validate_output.py json|sarif|github FILE [EXPECTED_RESULTS]
Exits 1 with a message on the first violation. EXPECTED_RESULTS, when
given, is the number of diagnostics/results the file must hold.
"""
import json
import re
import sys


def fail(msg):
    print("validate_output: " + msg)
    sys.exit(1)


def need(cond, msg):
    if not cond:
        fail(msg)


def is_pos(v):
    return isinstance(v, int) and not isinstance(v, bool) and v >= 1


def check_json(doc):
    need(isinstance(doc, dict), "top level is not an object")
    need(doc.get("version") == 1, "version is not 1")
    diags = doc.get("diagnostics")
    need(isinstance(diags, list), "diagnostics is not a list")
    keys = ["file", "line", "column", "end_line", "end_column", "rule",
            "severity", "message", "help", "lock", "fingerprint"]
    for i, d in enumerate(diags):
        need(isinstance(d, dict), "diagnostic %d is not an object" % i)
        for k in keys:
            need(k in d, "diagnostic %d lacks %r" % (i, k))
        need(isinstance(d["file"], str) and d["file"], "file %d" % i)
        for k in ("line", "column", "end_line", "end_column"):
            need(is_pos(d[k]), "diagnostic %d: %s is not a positive int" % (i, k))
        need((d["end_line"], d["end_column"]) > (d["line"], d["column"]),
             "diagnostic %d: the end is not after the start" % i)
        need(re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", d["rule"]),
             "diagnostic %d: rule %r" % (i, d["rule"]))
        need(d["severity"] in ("error", "warning", "info"),
             "diagnostic %d: severity %r" % (i, d["severity"]))
        need(isinstance(d["message"], str) and d["message"]
             and "\n" not in d["message"], "diagnostic %d: message" % i)
        need(d["help"] is None or isinstance(d["help"], str), "help %d" % i)
        lk = d["lock"]
        if lk is not None:
            need(isinstance(lk, dict) and set(lk) == {"mode", "relation", "blocks"},
                 "diagnostic %d: lock %r" % (i, lk))
            need(lk["mode"] in ("ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE",
                                "SHARE UPDATE EXCLUSIVE", "SHARE",
                                "SHARE ROW EXCLUSIVE", "EXCLUSIVE",
                                "ACCESS EXCLUSIVE"), "lock mode %r" % lk["mode"])
        need(re.match(r"^[0-9a-f]{16}$", d["fingerprint"]), "fingerprint %d" % i)
    s = doc.get("summary")
    need(isinstance(s, dict), "summary is not an object")
    for k in ("files", "statements", "errors", "warnings", "infos",
              "suppressed", "baselined"):
        need(isinstance(s.get(k), int) and s[k] >= 0, "summary.%s" % k)
    for sev, k in (("error", "errors"), ("warning", "warnings"), ("info", "infos")):
        need(s[k] == sum(1 for d in diags if d["severity"] == sev),
             "summary.%s does not match the diagnostics" % k)
    return len(diags)


def check_sarif(doc):
    need(doc.get("$schema", "").endswith("sarif-2.1.0.json"), "$schema")
    need(doc.get("version") == "2.1.0", "version is not 2.1.0")
    runs = doc.get("runs")
    need(isinstance(runs, list) and len(runs) == 1, "runs must hold one run")
    run = runs[0]
    drv = run.get("tool", {}).get("driver", {})
    need(drv.get("name") == "migrate", "driver.name")
    need(isinstance(drv.get("version"), str) and drv["version"], "driver.version")
    need(re.match(r"^https?://", drv.get("informationUri", "")), "informationUri")
    rules = drv.get("rules")
    need(isinstance(rules, list) and rules, "driver.rules is empty")
    ids = []
    for i, r in enumerate(rules):
        need(re.match(r"^[a-z0-9-]+$", r.get("id", "")), "rules[%d].id" % i)
        need(re.match(r"^[A-Z][A-Za-z0-9]*$", r.get("name", "")), "rules[%d].name" % i)
        for k in ("shortDescription", "fullDescription"):
            need(isinstance(r.get(k), dict) and r[k].get("text"),
                 "rules[%d].%s.text" % (i, k))
        need(r.get("help", {}).get("text") and r["help"].get("markdown"),
             "rules[%d].help text and markdown" % i)
        need(r.get("defaultConfiguration", {}).get("level") in
             ("error", "warning", "note"), "rules[%d] level" % i)
        need(isinstance(r.get("properties"), dict), "rules[%d].properties" % i)
        ids.append(r["id"])
    need(len(ids) == len(set(ids)), "duplicate rule ids")
    base = run.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri", "")
    need(base.startswith("file://") and base.endswith("/"),
         "originalUriBaseIds.%SRCROOT%.uri")
    results = run.get("results")
    need(isinstance(results, list), "results is not a list")
    for i, r in enumerate(results):
        need(r.get("ruleId") in ids, "results[%d].ruleId %r" % (i, r.get("ruleId")))
        ri = r.get("ruleIndex")
        need(isinstance(ri, int) and 0 <= ri < len(rules) and
             rules[ri]["id"] == r["ruleId"], "results[%d].ruleIndex" % i)
        need(r.get("level") in ("error", "warning", "note"), "results[%d].level" % i)
        need(r.get("message", {}).get("text"), "results[%d].message.text" % i)
        locs = r.get("locations")
        need(isinstance(locs, list) and locs, "results[%d].locations" % i)
        pl = locs[0].get("physicalLocation", {})
        al = pl.get("artifactLocation", {})
        uri = al.get("uri", "")
        need(uri and " " not in uri, "results[%d] uri %r" % (i, uri))
        if not uri.startswith("file://"):
            need(not uri.startswith("/"), "results[%d]: relative uri" % i)
            need(al.get("uriBaseId") == "%SRCROOT%", "results[%d].uriBaseId" % i)
        reg = pl.get("region", {})
        for k in ("startLine", "startColumn", "endLine", "endColumn"):
            need(is_pos(reg.get(k)), "results[%d].region.%s" % (i, k))
        need((reg["endLine"], reg["endColumn"]) > (reg["startLine"], reg["startColumn"]),
             "results[%d].region end before start" % i)
        pf = r.get("partialFingerprints")
        need(isinstance(pf, dict) and pf and all(isinstance(v, str) and v
                                                  for v in pf.values()),
             "results[%d].partialFingerprints" % i)
    return len(results)


def check_github(text):
    n = 0
    for line in text.splitlines():
        if not line:
            continue
        m = re.match(r"^::(error|warning|notice) file=([^,:]+),line=(\d+),col=(\d+),"
                     r"endLine=(\d+),endColumn=(\d+),title=([a-z0-9-]+)::(.+)$", line)
        need(m, "not a workflow command: %r" % line)
        need("\r" not in line, "unescaped CR")
        n += 1
    return n


def main():
    kind, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if kind == "github":
        n = check_github(text)
    else:
        try:
            doc = json.loads(text)
        except ValueError as e:
            fail("not JSON: %s" % e)
        n = check_json(doc) if kind == "json" else check_sarif(doc)
    if len(sys.argv) > 3:
        need(n == int(sys.argv[3]), "%d results, expected %s" % (n, sys.argv[3]))
    print("ok %s (%d)" % (kind, n))


if __name__ == "__main__":
    main()
