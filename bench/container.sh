#!/bin/sh
# Container plugin benchmark: ingests a generated Trivy report of SIZE_MB
# (default 100) through the plugin and the mock host, and reports the
# scan_file time and the process's peak RSS.  Run from anywhere; builds
# what it needs.  Not a test: it prints figures, it does not judge them.
#   usage: bench/container.sh [SIZE_MB] [RUNS]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
size=${1:-100}
runs=${2:-3}
work=${TMPDIR:-/tmp}/gk-container-bench
mkdir -p "$work"
report=$work/trivy-$size.json
bin=$work/container_bench

cd "$top"
make --no-print-directory plugins/container/container.so \
	build/tests/support/mock_host.o >/dev/null
cc -O2 -std=c11 -D_GNU_SOURCE -Iinclude -o "$bin" bench/container_bench.c \
	build/plugins/container/*.o build/tests/support/mock_host.o \
	$(pkg-config --libs libcjson yaml-0.1 libpcre2-8 libcrypto) -lpthread
[ -s "$report" ] || sh bench/trivy_gen.sh "$size" >"$report"

echo "report: $report ($(wc -c <"$report") bytes)"
i=0
while [ "$i" -lt "$runs" ]; do
	/usr/bin/time -f "wall %e s, peak RSS %M KB" "$bin" "$report" trivy
	i=$((i + 1))
done
