#!/bin/sh
# Runs every test of one build: the cmocka binaries in BUILD/tests/ and the
# end-to-end scripts in tests/e2e/ against OUT/gatekeeper.  Prints one
# closing line "tests: N passed, N failed" and exits non-zero on a failure.
#   usage: tests/run.sh BUILD OUT
set -u
build=${1:-build}
out=${2:-.}
top=$(cd "$(dirname "$0")/.." && pwd)
GK=$(cd "$out" && pwd)/gatekeeper
GK_SHARED=${GK_SHARED:-$top/../shared}
export GK GK_TOP="$top" GK_SHARED
passed=0
failed=0
failed_names=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { # file -> adds the cmocka/e2e counts found in it
	p=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | awk '{s+=$1} END {print s+0}')
	ep=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$1" | awk '{s+=$1} END {print s+0}')
	ef=$(sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$1" | awk '{s+=$1} END {print s+0}')
	passed=$((passed + p + ep))
	failed=$((failed + f + ef))
}

for t in "$build"/tests/*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	if (cd "$top" && "$t") >"$log" 2>&1; then
		rc=0
	else
		rc=$?
	fi
	count "$log"
	if [ "$rc" -ne 0 ]; then
		cat "$log"
		failed_names="$failed_names $name"
		grep -q '\[  FAILED  \]' "$log" || failed=$((failed + 1))
	elif [ -n "${VERBOSE:-}" ]; then
		cat "$log"
	fi
	echo "  ran     $name (exit $rc)"
done

for t in "$top"/tests/e2e/*.sh; do
	[ -f "$t" ] || continue
	[ "$(basename "$t")" = lib.sh ] && continue
	name=$(basename "$t")
	if sh "$t" >"$log" 2>&1; then rc=0; else rc=$?; fi
	count "$log"
	if [ "$rc" -ne 0 ]; then
		cat "$log"
		failed_names="$failed_names $name"
		grep -q '^e2e: ' "$log" || failed=$((failed + 1))
	fi
	echo "  ran     $name (exit $rc)"
done

[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ -z "$failed_names" ]
