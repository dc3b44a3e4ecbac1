#!/bin/sh
# End-to-end: one scan writes text to the terminal and every other format
# to files; each SARIF file the suite writes (and the golden one) must pass
# the SARIF 2.1.0 JSON Schema and the SARIF Multitool's SARIF and GitHub
# ingestion rules.  The validators come from tests/tools/install.sh; when
# they are missing this script fails rather than skip.
set -u
: "${GK:?GK must name the gatekeeper binary}"
TOP=${GK_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
SCHEMA="$TOP/tests/fixtures/schemas/sarif-schema-2.1.0.json"
TOOLS="$TOP/tests/tools"
MULTITOOL="$TOOLS/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
. "$(dirname "$0")/lib.sh"
tok() { printf 'ghp_%s%02d' "R7kq2ZpX9mWv4TsLb8NcY3hJ6dFgA1eQ5u" "$1"; }

repo="$TMP/demo repo"
mkdir -p "$repo/src" "$repo/dir with space"
git -C "$repo" init -q
git -C "$repo" config user.name Test
git -C "$repo" config user.email test@example.invalid
printf 'token = "%s"\n' "$(tok 1)" >"$repo/src/app.py"
printf 'a\nb = "%s"\n' "$(tok 2)" >"$repo/dir with space/50%.txt"
printf 'one = "%s"\ntwo = "%s"\n' "$(tok 3)" "$(tok 3)" >"$repo/src/twice.py"
git -C "$repo" add -A && git -C "$repo" commit -qm one

# ---- one scan, every format ----------------------------------------------
out="$TMP/out"
mkdir -p "$out"
NO_COLOR=1 "$GK" scan "$repo" --plugins secret --format text \
	--format sarif="$out/scan.sarif" --format junit="$out/junit.xml" \
	--format markdown="$out/summary.md" --format github="$out/gh.txt" \
	--format json="$out/scan.json" >"$TMP/stdout" 2>"$TMP/stderr"
check "scan exits 1 (secrets)" 1 "$?"
check_grep "text summary line last" '^fail: 4 finding\(s\)' \
	"$(tail -n 1 "$TMP/stdout")"
check "no colour codes" 0 "$(grep -c "$(printf '\033')" "$TMP/stdout")"
for f in scan.sarif junit.xml summary.md gh.txt scan.json; do
	check "$f written" yes "$([ -s "$out/$f" ] && echo yes || echo no)"
done
check "json findings" 4 "$(jq '.findings | length' "$out/scan.json")"
check "junit is well-formed XML with the failing gate" "1" \
	"$(python3 -c 'import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
print(len(r.findall(".//testcase/failure")))' "$out/junit.xml")"
check_grep "markdown verdict" '^## gatekeeper: .* fail$' \
	"$(head -n 1 "$out/summary.md")"
check_grep "annotation with an escaped path" \
	'^::error file=dir with space/50%25\.txt,line=2,' "$(cat "$out/gh.txt")"
check "sarif uri percent-encoded" "dir%20with%20space/50%25.txt" \
	"$(jq -r '[.runs[].results[].locations[0].physicalLocation.artifactLocation.uri] | map(select(startswith("dir"))) | .[0]' "$out/scan.sarif")"
check "sarif rule once per run" 1 \
	"$(jq '[.runs[] | select(.automationDetails.id == "gatekeeper/secret/") | .tool.driver.rules[].id] | length' "$out/scan.sarif")"
check "repeated match hashes apart" "2" \
	"$(jq '[.runs[].results[].partialFingerprints.primaryLocationLineHash] | unique | map(select(endswith(":2"))) | length + 1' "$out/scan.sarif")"

# Re-rendered from the database, the SARIF is the same.
"$GK" report "$repo" --format sarif="$out/again.sarif" 2>/dev/null
check "report re-renders the same SARIF" same \
	"$(cmp -s "$out/scan.sarif" "$out/again.sarif" && echo same || echo differs)"
"$GK" report "$repo" --sarif-category "ci/{plugin}" \
	--format sarif="$out/category.sarif" 2>/dev/null
check "category option" "ci/secret/" \
	"$(jq -r '.runs[] | select(.results | length > 0) | .automationDetails.id' "$out/category.sarif")"
"$GK" report "$repo" --format yaml >/dev/null 2>&1
check "unknown format exits 2" 2 "$?"

# ---- hostile file names: escaped in text, well-formed in XML and JSON ------
odd="$TMP/odd"
mkdir -p "$odd"
printf 'k = "%s"\n' "$(tok 4)" >"$odd/$(printf 'esc\033[31mred.txt')"
printf 'k = "%s"\n' "$(tok 5)" >"$odd/$(printf 'bad\377.txt')"
NO_COLOR=1 "$GK" scan "$odd" --plugins secret --db :memory: --format text \
	--format markdown="$TMP/odd.md" --format junit="$TMP/odd.xml" \
	--format json="$TMP/odd.json" >"$TMP/odd.txt" 2>/dev/null
check "no escape byte in text or markdown" 0 \
	"$(cat "$TMP/odd.txt" "$TMP/odd.md" | tr -cd '\033' | wc -c | tr -d ' ')"
check_grep "text shows the escape" 'esc\\x1b\[31mred\.txt' \
	"$(cat "$TMP/odd.txt")"
check_grep "text shows the bad byte" 'bad\\xff\.txt' "$(cat "$TMP/odd.txt")"
check "junit with a non-UTF-8 name is well-formed" ok \
	"$(xmllint --noout "$TMP/odd.xml" >/dev/null 2>&1 && echo ok)"
utf8_json() { # FILE: "ok" when it is UTF-8 and JSON
	python3 -c 'import json, sys
json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
print("ok")' "$1" 2>/dev/null
}
check "json with a non-UTF-8 name is UTF-8" ok "$(utf8_json "$TMP/odd.json")"

# ---- validate every SARIF written ----------------------------------------
if [ ! -x "$MULTITOOL" ] || [ ! -d "$TOOLS/node_modules/ajv-draft-04" ]; then
	bad "SARIF validators missing: run 'sh tests/tools/install.sh'"
	e2e_done
	exit 1
fi
cp "$TOP/tests/fixtures/reports/golden.sarif" "$out/golden.sarif"
for f in "$out"/*.sarif; do
	name=$(basename "$f")
	v=$(node "$TOOLS/validate-json.js" "$SCHEMA" "$f" 2>&1)
	check "$name: JSON schema" 0 "$?"
	printf "%s\n" "$v" | grep -v ": valid$" || true
	"$MULTITOOL" validate --rule-kind "Sarif;Gh" --log ForceOverwrite \
		-o "$TMP/validation.sarif" "$f" >"$TMP/mt.log" 2>&1
	errors=$(jq '[.runs[].results[]? | select((.level // "warning") == "error")] | length' \
		"$TMP/validation.sarif" 2>/dev/null || echo "no log")
	check "$name: multitool errors" 0 "$errors"
	[ "$errors" = 0 ] || jq -r '.runs[].results[]? | select(.level == "error") | .message' \
		"$TMP/validation.sarif" 2>/dev/null || cat "$TMP/mt.log"
done

e2e_done
