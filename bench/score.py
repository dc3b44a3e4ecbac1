#!/usr/bin/env python3
"""Scores one scanner's JSON report against the corpus manifest.

    usage: score.py TOOL REPORT MANIFEST ROOT [--found FILE] [--misses]

TOOL is gatekeeper, gitleaks, trivy or secretlint.  ROOT is the scanned
directory (reports that give absolute paths are made relative to it).

A finding whose path matches a manifest row and whose line lies within
line..end_line hits that row.  Printed, tab-separated: findings, planted
secrets found, planted total, decoys flagged, decoys total, other false
alarms.  False alarms are counted as distinct (path, line) locations: a
decoy row hit by any finding, plus every location that hits no row.
--found writes the planted rows found (path:line) one per line, so that
two tools can be compared; --misses lists missed kinds on stderr.
"""
import collections
import json
import os
import sys


def gatekeeper(doc, root):
    for f in doc.get("findings", []):
        yield f.get("path", ""), int(f.get("line") or 0), f.get("rule", "")


def gitleaks(doc, root):
    for f in doc or []:
        yield f["File"], int(f["StartLine"]), f["RuleID"]


def trivy(doc, root):
    for res in doc.get("Results") or []:
        for s in res.get("Secrets") or []:
            yield res["Target"], int(s["StartLine"]), s["RuleID"]


def secretlint(doc, root):
    for res in doc or []:
        for m in res.get("messages", []):
            yield (res["filePath"], int(m["loc"]["start"]["line"]),
                   m.get("messageId") or m.get("ruleId", ""))


PARSERS = {"gatekeeper": gatekeeper, "gitleaks": gitleaks, "trivy": trivy,
           "secretlint": secretlint}


def load_manifest(path):
    rows = collections.defaultdict(list)
    with open(path) as f:
        next(f)
        for line in f:
            p, lo, hi, cls, kind, fam = line.rstrip("\n").split("\t")
            rows[p].append((int(lo), int(hi), cls, kind, fam))
    return rows


def relative(path, root):
    if os.path.isabs(path):
        path = os.path.relpath(path, root)
    return path[2:] if path.startswith("./") else path


def main():
    args = sys.argv[1:]
    tool, report, manifest, root = args[:4]
    found_out = args[args.index("--found") + 1] if "--found" in args else None

    with open(report) as f:
        text = f.read()
    doc = json.loads(text) if text.strip() else None
    rows = load_manifest(manifest)

    hit, other, nfind = set(), set(), 0
    for path, line, rule in PARSERS[tool](doc, os.path.abspath(root)):
        nfind += 1
        path = relative(path, os.path.abspath(root))
        row = next(((path,) + r for r in rows.get(path, [])
                    if r[0] <= line <= r[1]), None)
        if row:
            hit.add(row)
        else:
            other.add((path, line))

    every = [(p,) + r for p, rs in rows.items() for r in rs]
    planted = [r for r in every if r[3] == "secret"]
    decoys = [r for r in every if r[3] == "decoy"]
    found = [r for r in planted if r in hit]
    flagged = [r for r in decoys if r in hit]
    print("%d\t%d\t%d\t%d\t%d\t%d" % (nfind, len(found), len(planted),
                                      len(flagged), len(decoys), len(other)))
    if found_out:
        with open(found_out, "w") as f:
            for r in sorted(found):
                f.write("%s:%d\t%s\n" % (r[0], r[1], r[4]))
    if "--misses" in args:
        missed = collections.Counter(r[4] for r in planted if r not in hit)
        fl = collections.Counter(r[4] for r in flagged)
        print("missed: %s" % dict(sorted(missed.items())), file=sys.stderr)
        print("decoys flagged: %s" % dict(sorted(fl.items())),
              file=sys.stderr)
        print("other false alarms (first 5): %s" % sorted(other)[:5],
              file=sys.stderr)


if __name__ == "__main__":
    main()
