#!/bin/sh
# Builds every libFuzzer target in tests/fuzz/ with clang and runs each
# for SECONDS seconds from its seed corpus (tests/fuzz/corpus/<name>/).
# SECONDS=0 only replays the seeds: a quick, deterministic check that the
# targets build and the seeds pass, which make test runs.
#   fuzz_<name>.c where <name> is a plugin: linked with that plugin's
#   sources and the mock host; otherwise with the core sources.
set -eu
seconds=${1:-20}
top=$(cd "$(dirname "$0")/../.." && pwd)
out="$top/build-fuzz"
cd "$top"
if ! command -v clang >/dev/null 2>&1; then
	echo "fuzz: clang is not installed (apt-get install clang" \
		"libclang-rt-14-dev)" >&2
	exit 1
fi
mkdir -p "$out"
cflags="-g -O1 -std=c11 -D_GNU_SOURCE -DGK_VERSION=\"fuzz\" \
-DGK_LIBDIR=\"/nonexistent\" -DGK_DATADIR=\"/nonexistent\" \
-fsanitize=fuzzer,address,undefined -Iinclude -Icore -Itests/support \
$(pkg-config --cflags libpcre2-8 yaml-0.1 libcjson sqlite3 libcrypto libhs)"
libs="$(pkg-config --libs libpcre2-8 yaml-0.1 libcjson sqlite3 libcrypto libhs) \
-ldl -lpthread -lm"
status=0
for src in tests/fuzz/fuzz_${FUZZ_ONLY:-*}.c; do
	name=$(basename "$src" .c)
	what=${name#fuzz_}
	if ls plugins/"$what"/*.c >/dev/null 2>&1; then
		srcs="$(ls plugins/$what/*.c) tests/support/mock_host.c"
	else
		srcs=$(ls core/*.c | grep -v core/main.c)
	fi
	echo "fuzz: building $name"
	# shellcheck disable=SC2086
	clang $cflags -o "$out/$name" "$src" $srcs $libs
	corpus="$out/corpus-$what"
	mkdir -p "$corpus"
	seeds="tests/fuzz/corpus/$what"
	[ -d "$seeds" ] || seeds=""
	if [ "$seconds" = 0 ]; then
		limit="-runs=0"
		corpus=""
		[ -n "$seeds" ] || continue
	else
		limit="-max_total_time=$seconds"
	fi
	echo "fuzz: running $name ($limit)"
	# shellcheck disable=SC2086
	if ! "$out/$name" $limit -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=0 $corpus $seeds \
		>"$out/$name.log" 2>&1; then
		tail -n 40 "$out/$name.log"
		echo "fuzz: $name FAILED (log: $out/$name.log)"
		status=1
	else
		echo "fuzz: $name ok ($(grep -c . "$out/$name.log") log lines)"
	fi
done
exit $status
