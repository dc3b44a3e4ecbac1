#!/usr/bin/env python3
"""Turns bench/out/ (rows.tsv, hyperfine exports) into a Markdown table.

    usage: table.py OUT_DIR

Speeds are MB/s with MB = 10^6 bytes of the corpus' files, over hyperfine's
mean wall time.  'gk ratio' is gatekeeper -j 2's speed on the same corpus
divided by the row's: above 1, gatekeeper is that many times faster;
below 1, the row's tool is faster.
"""
import json
import os
import sys


def load_rows(out):
    rows = []
    with open(os.path.join(out, "rows.tsv")) as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            rows.append({"name": c[0], "corpus": c[1], "bytes": int(c[2]),
                         "mean": float(c[3]), "sd": float(c[4]),
                         "rss": int(c[5] or 0),
                         "score": c[6:] if len(c) > 7 else None})
    return rows


def hf_mean(path):
    r = json.load(open(path))["results"][0]
    return r["mean"], r["stddev"] or 0, r.get("median", r["mean"])


def git_rows(out):
    lines = []
    p = os.path.join(out, "staged.hf.json")
    if os.path.exists(p):
        m, sd, med = hf_mean(p)
        lines.append("| staged scan, 10 files / 500 added lines | %.1f ms "
                     "(sd %.1f, median %.1f) | target < 20 ms |" % (
                         m * 1e3, sd * 1e3, med * 1e3))
    p = os.path.join(out, "staged-before.hf.json")
    if os.path.exists(p):
        m, sd, med = hf_mean(p)
        lines.append("| staged scan, the BEFORE build | %.1f ms "
                     "(sd %.1f, median %.1f) | target < 20 ms |" % (
                         m * 1e3, sd * 1e3, med * 1e3))
    p = os.path.join(out, "history.hf.json")
    if os.path.exists(p):
        m, sd, _ = hf_mean(p)
        added = int(open(os.path.join(out, "history.added")).read())
        lines.append("| history scan, %.1f MB of added lines | %.2f s, "
                     "%.1f MB/s | target >= 50 MB/s |" % (
                         added / 1e6, m, added / 1e6 / m))
    return lines


def main():
    out = sys.argv[1]
    rows = load_rows(out)
    machine = os.path.join(out, "machine.txt")
    if os.path.exists(machine):
        print("```\n%s```\n" % open(machine).read())
    ref = {r["corpus"]: r for r in rows if r["name"] == "gatekeeper-j2"}
    print("| tool | corpus | MB | mean s (sd) | MB/s | gk x | peak RSS MB "
          "| planted found | decoys flagged | other false alarms |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        mbs = r["bytes"] / 1e6 / r["mean"]
        g = ref.get(r["corpus"])
        ratio = (g["bytes"] / g["mean"]) / (r["bytes"] / r["mean"]) if g \
            else float("nan")
        s = r["score"]
        if s and s[0] != "-":
            found = "%s / %s" % (s[1], s[2])
            dec = "%s / %s" % (s[3], s[4])
            other = s[5]
        else:
            found = dec = other = "-"
        print("| %s | %s | %.0f | %.2f (%.2f) | %.1f | %.2f | %.0f | %s | %s "
              "| %s |" % (r["name"], r["corpus"], r["bytes"] / 1e6, r["mean"],
                          r["sd"], mbs, ratio, r["rss"] / 1024, found, dec,
                          other))
    extra = git_rows(out)
    if extra:
        print("\n| git scan | time | target |\n|---|---|---|")
        print("\n".join(extra))
    compare(out, rows)


def compare(out, rows):
    """Planted secrets a peer found that gatekeeper missed, per corpus."""
    for r in rows:
        if r["name"].startswith("gatekeeper") or r["name"].startswith("rg"):
            continue
        mine = os.path.join(out, "gatekeeper-j2.%s.found" % r["corpus"])
        theirs = os.path.join(out, "%s.%s.found" % (r["name"], r["corpus"]))
        if not (os.path.exists(mine) and os.path.exists(theirs)):
            continue
        a = set(open(mine).read().split("\n"))
        b = set(open(theirs).read().split("\n"))
        missed = sorted(x for x in b - a if x)
        print("\n%s found %d planted secrets that gatekeeper missed%s" % (
            r["name"], len(missed), (": " + ", ".join(missed[:10]))
            if missed else "."))


if __name__ == "__main__":
    main()
