#!/bin/sh
# End-to-end: a policy with a failing gate, a warning gate and exceptions
# (one live, one expired) over a repository scanned three times with a
# change in between; baselines from `last`, a scan id and report files;
# gate, diff, scans, init; configuration errors that must exit 2.
set -u
: "${GK:?GK must name the gatekeeper binary}"
. "$(dirname "$0")/lib.sh"
jq_out() { printf '%s' "$OUT" | jq -r "$1"; }

# Fake tokens are put together at run time so this file holds none.
tok() { printf 'ghp_%s%02d' "R7kq2ZpX9mWv4TsLb8NcY3hJ6dFgA1eQ5u" "$1"; }

repo="$TMP/repo"
mkdir -p "$repo/src" "$repo/docs" "$repo/old"
git -C "$repo" init -q
git -C "$repo" config user.name Test
git -C "$repo" config user.email test@example.invalid
printf 'token = "%s"\n' "$(tok 1)" >"$repo/src/app.py"
printf 'example: %s\n' "$(tok 2)" >"$repo/docs/example.md"
printf 'legacy = "%s"\n' "$(tok 3)" >"$repo/old/legacy.txt"
cat >"$repo/gatekeeper.yaml" <<'YAML'
gates:
  - id: no-new-secrets
    description: no secret may be added
    plugin: secret
    new: true
  - id: secret-budget
    description: secrets still in the tree
    plugin: secret
    mode: warn
exceptions:
  - id: docs-examples
    path: "docs/**"
    reason: documentation examples
    expires: 2999-12-31
  - id: legacy-waiver
    path: "old/**"
    reason: legacy tokens, revoked
    expires: 2000-01-01
YAML
git -C "$repo" add -A && git -C "$repo" commit -qm one
run="--plugins secret"

# ---- scan 1: no earlier scan, every finding is new ----------------------
gk scan "$repo" $run --baseline last --format json
check "scan 1 exits 1" 1 "$RC"
check "scan 1 new secrets (docs excepted)" 2 \
	"$(jq_out '.gates[] | select(.id=="no-new-secrets") | .count')"
check "suppressed by the live exception" "docs-examples" \
	"$(jq_out '[.findings[] | select(.suppressed)][0].suppressed.exception')"
check_grep "expired exception is named" "legacy-waiver.*expired" "$ERR"

# ---- scan 2: app.py's token removed, a new one in new.py -----------------
printf 'print("clean")\n' >"$repo/src/app.py"
printf 'key = "%s"\n' "$(tok 4)" >"$repo/src/new.py"
git -C "$repo" add -A && git -C "$repo" commit -qm two
gk scan "$repo" $run --baseline last --format json
check "scan 2 fails on the one new secret" "1 1 fail" \
	"$RC $(jq_out '.gates[] | select(.id=="no-new-secrets") | .count') $(jq_out .verdict)"
check "scan 2 baseline recorded" "scan 1" "$(jq_out .scan.baseline)"
printf '%s' "$OUT" >"$TMP/scan2.json"

# ---- scan 3: nothing changed; only the warning gate trips ---------------
gk scan "$repo" $run --baseline last --format json \
	--format sarif="$TMP/scan3.sarif"
check "scan 3 passes with a warning" "0 warn" "$RC $(jq_out .verdict)"
check "warning gate count" "warn 2" \
	"$(jq_out '.gates[] | select(.id=="secret-budget") | "\(.verdict) \(.count)"')"

# ---- gate: re-evaluate without scanning ----------------------------------
gk gate "$repo" --scan 2 --baseline 1 --format json
check "gate scan 2 against scan 1" "1 1" \
	"$RC $(jq_out '.gates[] | select(.id=="no-new-secrets") | .count')"
gk gate "$repo" --scan 3 --baseline "$TMP/scan2.json" -q
check "gate with a JSON report as baseline" 0 "$RC"
gk gate "$repo" --scan 2 --baseline "$TMP/scan3.sarif" -q
check "gate with a SARIF report as baseline" 0 "$RC"
gk gate "$repo" --scan 2 --format junit
check_grep "junit lists the failing gate's finding" \
	'<failure[^>]*>.*' "$OUT"
check_grep "junit names the new file" 'src/new.py:1' "$OUT"
gk gate "$repo" --scan 99
check "gate on a missing scan exits 2" 2 "$RC"
gk gate "$repo" --baseline "$TMP/nothing.json"
check "missing baseline report exits 2" 2 "$RC"

# ---- scans and diff -------------------------------------------------------
gk scans "$repo" --root "$repo" --format json
check "scans lists three" 3 "$(jq_out length)"
gk diff 1 2 --root "$repo" --format json
check "diff 1 2 counts" "1 1 2" \
	"$(jq_out '"\(.new | length) \(.fixed | length) \(.unchanged | length)"')"
check "diff new is new.py" "src/new.py" "$(jq_out '.new[0].path')"
check "diff fixed is app.py" "src/app.py" "$(jq_out '.fixed[0].path')"
gk diff --root "$repo"
check_grep "default diff is the two latest" \
	'^diff scan 2\.\.3: 0 new, 0 fixed, 3 unchanged$' "$OUT"
(cd "$repo" && "$GK" diff 1 >"$TMP/out" 2>&1)
check_grep "diff A compares with the latest" \
	'diff scan 1\.\.3: 1 new, 1 fixed, 2 unchanged' "$(cat "$TMP/out")"

# ---- configuration errors exit 2 and name the gate ------------------------
bad_where() { # WHAT WHERE
	printf 'gates:\n  - id: sneaky\n    where: "%s"\n' "$2" >"$TMP/bad.yaml"
	gk gate "$repo" --config "$TMP/bad.yaml"
	check "$1 exits 2" 2 "$RC"
	check_grep "$1 names the gate" "gate 'sneaky'" "$ERR"
}
bad_where "a write" "1); DELETE FROM findings WHERE (1"
bad_where "an attach" "1); ATTACH DATABASE '/tmp/x.db' AS x; SELECT (1"
bad_where "a pragma" "(SELECT count(*) FROM pragma_table_info('findings')) > 0"
bad_where "another table" "(SELECT count(*) FROM sqlite_master) > 0"
bad_where "a where leaving the scan" "1=1) OR (1=1"
bad_where "a union" "1) UNION SELECT id FROM findings WHERE (1"
bad_where "load_extension" "load_extension('x') IS NULL"
check "findings survive" 9 \
	"$(sqlite3 "$repo/.gatekeeper/gatekeeper.db" 'SELECT count(*) FROM findings')"
printf 'gates:\n  - id: x\n    plugin: [secret\n' >"$TMP/broken.yaml"
gk gate "$repo" --config "$TMP/broken.yaml"
check "unparsable policy exits 2" 2 "$RC"
check_grep "names file, line and column" "broken.yaml' line [0-9]+ column [0-9]+" "$ERR"
printf 'gates: {}\n' >"$TMP/notalist.yaml"
gk gate "$repo" --config "$TMP/notalist.yaml"
check "gates not a list exits 2" 2 "$RC"
check "gates not a list: no made-up gate id" \
	"gatekeeper: error: config: '$TMP/notalist.yaml' line 1 column 8: 'gates' must be a list" \
	"$ERR"
printf 'gates:\n  - id: big\n    max: 99999999999999999999999\n' \
	>"$TMP/bigmax.yaml"
gk gate "$repo" --config "$TMP/bigmax.yaml"
check "max past int64 exits 2" 2 "$RC"
check_grep "max past int64 names the gate" "gate 'big': max must be" "$ERR"
printf 'exceptions:\n  - rule: x\n' >"$TMP/noreason.yaml"
gk gate "$repo" --config "$TMP/noreason.yaml"
check "exception without a reason exits 2" 2 "$RC"

# ---- init writes the built-in default ------------------------------------
fresh="$TMP/fresh"
mkdir -p "$fresh"
gk init "$fresh"
check "init exits 0" 0 "$RC"
gk init "$fresh"
check "init refuses to overwrite" 2 "$RC"
printf 'k = "%s"\n' "$(tok 5)" >"$fresh/a.txt"
gk scan "$fresh" $run --db :memory: --format json
with=$(jq_out '[.gates[] | "\(.id):\(.count):\(.verdict)"] | join(" ")')
rm "$fresh/gatekeeper.yaml"
gk scan "$fresh" $run --db :memory: --format json
check "init's file gates like no file" "$with" \
	"$(jq_out '[.gates[] | "\(.id):\(.count):\(.verdict)"] | join(" ")')"

# ---- the secret plugin's section, as docs/rules.md shows it --------------
printf 'secret:\n  disabled_rules: [github-pat]\n' >"$fresh/gatekeeper.yaml"
gk scan "$fresh" $run --db :memory: --format json
check "top-level secret: section disables a rule" "0 0" \
	"$RC $(jq_out '.findings | length')"
printf 'plugins:\n  secret:\n    disabled_rules: [github-pat]\n' \
	>"$fresh/gatekeeper.yaml"
gk scan "$fresh" $run --db :memory:
check "a plugins: key is unknown" 2 "$RC"
rm "$fresh/gatekeeper.yaml"

# ---- a secret any plugin reports fails the default policy ---------------
trivy="$TMP/trivy"
mkdir -p "$trivy"
gk scan "$trivy" --plugins container --db :memory: --format json \
	--trivy-report "$GK_TOP/tests/fixtures/container/trivy/secrets.repo.json"
check "trivy secrets fail the default secrets gate" "1 2 fail" \
	"$RC $(jq_out '.gates[] | select(.id=="secrets") | "\(.count) \(.verdict)"')"

e2e_done
