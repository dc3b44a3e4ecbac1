#!/bin/sh
# Installs the Debian packages gatekeeper needs with apt-get, when any is
# missing.  Quiet and quick when all are there.
#   deps.sh         what the build and `make scan` need
#   deps.sh test    and what the tests need (jq, sqlite3, clang, xmllint,
#                   python3, node)
set -eu

PKGS="gcc make pkg-config git libpcre2-dev libyaml-dev libcjson-dev \
libsqlite3-dev libssl-dev libcmocka-dev libvectorscan-dev"
if [ "${1:-}" = test ]; then
	PKGS="$PKGS jq sqlite3 clang libxml2-utils python3"
	# Any node will do for the validators; Debian's when there is none.
	command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
fi

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null |
		grep -q 'install ok installed'
}

# libFuzzer's runtime comes in a package named for clang's major version.
fuzzer_runtime() {
	v=$(clang --version 2>/dev/null |
		sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
	[ -n "$v" ] && echo "libclang-rt-$v-dev"
}

missing=""
rt=""
[ "${1:-}" = test ] && rt=$(fuzzer_runtime || true)
for p in $PKGS $rt; do
	installed "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	run=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	run="sudo -n"
else
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: install them as root: apt-get install$missing" >&2
	exit 1
fi

echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$run apt-get update -qq
# shellcheck disable=SC2086
$run apt-get install -y -qq --no-install-recommends $missing >/dev/null
[ "${1:-}" = test ] && rt=$(fuzzer_runtime || true)
if [ -n "$rt" ] && ! installed "$rt"; then
	$run apt-get install -y -qq --no-install-recommends "$rt" >/dev/null
fi
