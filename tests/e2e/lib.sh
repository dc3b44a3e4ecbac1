# Helpers for the end-to-end scripts: assertions that count, and a final
# "e2e: N passed, M failed" line.  Source it; call e2e_done last.
E2E_PASS=0
E2E_FAIL=0
E2E_TMP=$(mktemp -d)
trap 'rm -rf "$E2E_TMP"' EXIT
: "${GK:?GK must name the gatekeeper binary}"

ok() { E2E_PASS=$((E2E_PASS + 1)); }
bad() { E2E_FAIL=$((E2E_FAIL + 1)); echo "FAIL: $*"; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then ok; else
		bad "$1: expected [$2], got [$3]"; fi
}

# expect_match WHAT REGEX TEXT
expect_match() {
	if printf '%s' "$3" | grep -Eq -- "$2"; then ok; else
		bad "$1: [$3] does not match /$2/"; fi
}

expect_no_match() {
	if printf '%s' "$3" | grep -Eq -- "$2"; then
		bad "$1: [$3] matches /$2/"; else ok; fi
}

# run_gk: runs the binary; sets RC, OUT (stdout) and ERR (stderr).
run_gk() {
	"$GK" "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
	RC=$?
	OUT=$(cat "$E2E_TMP/out")
	ERR=$(cat "$E2E_TMP/err")
}

# new_repo DIR: an empty git repository with an identity.
new_repo() {
	mkdir -p "$1"
	git -C "$1" init -q
	git -C "$1" config user.name "Test"
	git -C "$1" config user.email "test@example.invalid"
	git -C "$1" config commit.gpgsign false
}

commit_all() {
	git -C "$1" add -A && git -C "$1" commit -qm "${2:-change}"
}

# The same under the names some scripts use.
TMP=$E2E_TMP
check() { expect_eq "$@"; }
check_grep() { expect_match "$@"; }
gk() { run_gk "$@"; }

e2e_done() {
	echo "e2e: $E2E_PASS passed, $E2E_FAIL failed"
	[ "$E2E_FAIL" -eq 0 ]
}
