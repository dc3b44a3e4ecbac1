#!/bin/sh
# End-to-end: gatekeeper scan on repositories made here, with planted fake
# secrets and known negatives; exact findings, JSON, database rows, exit
# codes, and bad input that must not stop the scan.
. "$(dirname "$0")/lib.sh"

# Fake credentials are assembled at run time so that this file holds none.
GHP="ghp_""R7kq2ZpX9mWv4TsLb8NcY3hJ6dFgA1eQ5uHo"
AKID="AKIA""Q3ZT7WXKJ5MN2LPR"
EXAMPLE_AKID="AKIA""IOSFODNN7EXAMPLE"
SHORT_GHP="ghp_""abc123"

repo="$E2E_TMP/repo"
new_repo "$repo"
mkdir -p "$repo/src" "$repo/config"
printf 'print("hello")\ntoken = "%s"\n' "$GHP" >"$repo/src/app.py"
printf '# settings\nREGION=eu-west-1\naws_access_key_id=%s\n' "$AKID" \
	>"$repo/config/prod.env"
printf 'docs say %s is an example\nshort %s\n' "$EXAMPLE_AKID" "$SHORT_GHP" \
	>"$repo/README.md"
printf 'no newline at the end %s' "$GHP" >"$repo/src/last.txt"
commit_all "$repo" "initial"

# ---- findings, JSON and exit status --------------------------------------
run_gk scan "$repo" --format json --plugins secret
expect_eq "secret tree exits 1" 1 "$RC"
found=$(printf '%s' "$OUT" | jq -r '.findings[] | "\(.rule) \(.path) \(.line)"' | sort)
want=$(printf '%s\n' "aws-access-key-id config/prod.env 3" \
	"github-pat src/app.py 2" "github-pat src/last.txt 1" | sort)
expect_eq "exact (rule, path, line) set" "$want" "$found"
expect_eq "verdict" fail "$(printf '%s' "$OUT" | jq -r .verdict)"
expect_eq "tool name" gatekeeper "$(printf '%s' "$OUT" | jq -r .tool.name)"
expect_eq "secrets gate failed" "fail 3 0" \
	"$(printf '%s' "$OUT" | jq -r '.gates[] | select(.id=="secrets") | "\(.verdict) \(.count) \(.max)"')"
expect_no_match "no raw secret in the report" "$GHP|$AKID" "$OUT"
expect_eq "snippet is redacted" "ghp_***" \
	"$(printf '%s' "$OUT" | jq -r '[.findings[] | select(.path=="src/app.py")][0].snippet')"
sha=$(printf '%s' "$GHP" | sha256sum | cut -d' ' -f1)
expect_eq "secret hash is SHA-256 of the secret" "$sha" \
	"$(printf '%s' "$OUT" | jq -r '[.findings[] | select(.path=="src/app.py")][0].secret_sha256')"
col=$(printf '%s' "$OUT" | jq -r '[.findings[] | select(.path=="src/app.py")][0] | "\(.column)-\(.end_column)"')
expect_eq "column span of the token" "10-49" "$col"
keys=$(printf '%s' "$OUT" | jq -r '.findings[0] | keys_unsorted | join(",")')
for k in plugin rule severity title message path line end_line fingerprint; do
	expect_match "finding has $k" "(^|,)$k(,|$)" "$keys"
done
expect_eq "scan block" "true true" \
	"$(printf '%s' "$OUT" | jq -r '"\(.scan.id > 0) \(.scan.root | startswith("/"))"')"

# ---- the database --------------------------------------------------------
db="$repo/.gatekeeper/gatekeeper.db"
expect_eq "findings rows" 3 "$(sqlite3 "$db" 'SELECT count(*) FROM findings')"
expect_eq "scan row" "1|done|fail|4" \
	"$(sqlite3 "$db" 'SELECT id, status, verdict, files_scanned FROM scans')"
expect_match "schema version set" '^[1-9][0-9]*$' "$(sqlite3 "$db" 'PRAGMA user_version')"
expect_eq "WAL mode" wal "$(sqlite3 "$db" 'PRAGMA journal_mode')"
expect_eq "no raw secret stored" 0 \
	"$(sqlite3 "$db" "SELECT count(*) FROM findings WHERE snippet LIKE '%$GHP%' OR message LIKE '%$GHP%' OR extra LIKE '%$GHP%'")"

# The fingerprint ignores the line: move the token down, same fingerprint.
fp1=$(sqlite3 "$db" "SELECT fingerprint FROM findings WHERE path='src/app.py'")
printf '\n\n# moved\nprint("hello")\ntoken = "%s"\n' "$GHP" >"$repo/src/app.py"
run_gk scan "$repo" --plugins secret -q
fp2=$(sqlite3 "$db" "SELECT fingerprint FROM findings WHERE scan_id=2 AND path='src/app.py'")
line2=$(sqlite3 "$db" "SELECT line FROM findings WHERE scan_id=2 AND path='src/app.py'")
expect_eq "fingerprint stable across a move" "$fp1" "$fp2"
expect_eq "moved finding's line" 5 "$line2"
expect_eq "text report ends with the summary" "fail:" \
	"$(printf '%s\n' "$OUT" | tail -n 1 | cut -d' ' -f1)"

# ---- a clean tree passes -------------------------------------------------
clean="$E2E_TMP/clean"
new_repo "$clean"
printf 'nothing to see\n%s\n' "$EXAMPLE_AKID" >"$clean/notes.txt"
# A package manifest names a tool whose name starts with "secret".
printf '{"bin": {\n  "secretlint": "bin/secretlint.js"\n}}\n' \
	>"$clean/package.json"
# Documentation quoting an error message that names a file.
printf "secret: '/nonexistent.yaml': No such file or directory\n" \
	>"$clean/errors.md"
commit_all "$clean"
run_gk scan "$clean" --plugins secret --format json
expect_eq "clean tree exits 0" 0 "$RC"
expect_eq "clean verdict" pass "$(printf '%s' "$OUT" | jq -r .verdict)"
expect_eq "clean findings" 0 "$(printf '%s' "$OUT" | jq '.findings | length')"

# ---- usage errors --------------------------------------------------------
run_gk scan "$clean" --no-such-flag
expect_eq "unknown flag exits 2" 2 "$RC"
expect_match "unknown flag says so" "unknown option '--no-such-flag'" "$ERR"
run_gk frobnicate
expect_eq "unknown command exits 2" 2 "$RC"
run_gk scan "$E2E_TMP/does-not-exist"
expect_eq "missing root exits 2" 2 "$RC"
run_gk scan "$clean" --plugins no-such-plugin
expect_eq "missing plugin exits 2" 2 "$RC"
expect_match "missing plugin named" "plugin 'no-such-plugin' not found" "$ERR"
run_gk scan "$clean" -j 0
expect_eq "bad -j exits 2" 2 "$RC"
run_gk scan "$clean" --format nope --plugins secret --db :memory:
expect_eq "unknown format exits 2" 2 "$RC"

run_gk scan "$clean" --plugins secret --format json --format sarif
expect_eq "two formats on stdout exit 2" 2 "$RC"
expect_match "two formats on stdout explained" "both go to stdout" "$ERR"
run_gk scan "$clean" --sbom cyclonedx --db :memory:
expect_eq "--sbom without its plugin exits 2" 2 "$RC"
run_gk scan --help
expect_eq "scan --help exits 0" 0 "$RC"
expect_match "scan --help prints the usage" "^usage: gatekeeper" "$OUT"

printf '# earlier step\n' >"$E2E_TMP/summary.md"
GITHUB_STEP_SUMMARY="$E2E_TMP/summary.md" run_gk scan "$clean" \
	--plugins secret --db :memory: --format markdown="$E2E_TMP/summary.md"
expect_eq "the step summary is appended to" "# earlier step" \
	"$(head -n 1 "$E2E_TMP/summary.md")"
expect_match "and holds the report" "gatekeeper" "$(cat "$E2E_TMP/summary.md")"

# ---- hook install: the pre-commit hook stops a commit with a secret ------
hooked="$E2E_TMP/hooked"
new_repo "$hooked"
run_gk hook install "$hooked"
expect_eq "hook install exits 0" 0 "$RC"
expect_eq "the hook is executable" yes \
	"$([ -x "$hooked/.git/hooks/pre-commit" ] && echo yes)"
printf 'k = "%s"\n' "$GHP" >"$hooked/k.txt"
git -C "$hooked" add k.txt
if git -C "$hooked" commit -qm "add a key" >/dev/null 2>&1; then
	bad "the hook let a secret be committed"
else
	ok
fi
printf 'nothing\n' >"$hooked/k.txt"
git -C "$hooked" add k.txt
if git -C "$hooked" commit -qm "clean" >/dev/null 2>&1; then ok; else
	bad "the hook stopped a clean commit"; fi
run_gk hook install "$hooked"
expect_eq "an existing hook is kept without --force" 2 "$RC"

# ---- a broken gatekeeper.yaml: file, line, column; exit 2 ----------------
scans_before=$(sqlite3 "$db" 'SELECT count(*) FROM scans')
printf 'scan:\n  exclude: [a, b\n  max_file_size: 1MB\n' >"$repo/gatekeeper.yaml"
run_gk scan "$repo" --plugins secret
expect_eq "broken config exits 2" 2 "$RC"
expect_match "broken config located" "/gatekeeper.yaml' line [0-9]+ column [0-9]+" "$ERR"
expect_eq "one line of error" 1 "$(printf '%s\n' "$ERR" | grep -c .)"
expect_eq "earlier scans intact" "$scans_before" \
	"$(sqlite3 "$db" 'SELECT count(*) FROM scans')"
printf 'scan:\n  max_file_size: lots\n' >"$repo/gatekeeper.yaml"
run_gk scan "$repo" --plugins secret
expect_eq "bad size exits 2" 2 "$RC"
expect_match "bad size located" "gatekeeper.yaml' line 2 column 18: max_file_size" "$ERR"
rm -f "$repo/gatekeeper.yaml"

# ---- unknown keys are configuration errors -------------------------------
for doc in 'gate:\n  - id: x\n' 'scan:\n  exclud: [x]\n' \
	'reports:\n  trivvy: [a.json]\n' 'secret: 5\n'; do
	printf "$doc" >"$repo/gatekeeper.yaml"
	run_gk scan "$repo" --plugins secret --db :memory:
	expect_eq "config [$doc] exits 2" 2 "$RC"
	expect_match "config [$doc] located" "gatekeeper.yaml' line [0-9]+ column [0-9]+" "$ERR"
done
# A section for a plugin that exists but does not run is fine.
printf 'container: {}\n' >"$repo/gatekeeper.yaml"
run_gk scan "$repo" --plugins secret --db :memory:
expect_eq "another plugin's section is accepted" 1 "$RC"
rm -f "$repo/gatekeeper.yaml"

# ---- the state directory and the configuration stay in the tree ----------
expect_eq "the state directory ignores itself" '*' \
	"$(grep -v '^#' "$repo/.gatekeeper/.gitignore")"
expect_eq "git does not offer the database for commit" "" \
	"$(git -C "$repo" status --porcelain .gatekeeper)"
evil="$E2E_TMP/evil"
new_repo "$evil"
mkdir -p "$E2E_TMP/elsewhere"
ln -s "$E2E_TMP/elsewhere" "$evil/.gatekeeper"
run_gk scan "$evil" --plugins secret
expect_eq "a linked .gatekeeper is refused" 2 "$RC"
expect_eq "nothing written through the link" "" "$(ls -A "$E2E_TMP/elsewhere")"
rm "$evil/.gatekeeper"
printf 'scan: {}\n' >"$E2E_TMP/outside.yaml"
ln -s "$E2E_TMP/outside.yaml" "$evil/gatekeeper.yaml"
run_gk scan "$evil" --plugins secret --db :memory:
expect_eq "a gatekeeper.yaml leading out of the tree is refused" 2 "$RC"
rm "$evil/gatekeeper.yaml"

# ---- the database: nested --db directories, concurrent first scans -------
run_gk scan "$clean" --plugins secret --db "$E2E_TMP/a/b/c/gk.db" -q
expect_eq "--db in new directories" 0 "$RC"
for i in 1 2 3 4; do
	"$GK" scan "$clean" --plugins secret --db "$E2E_TMP/race.db" -q \
		>/dev/null 2>"$E2E_TMP/race.$i.err" &
done
wait
expect_eq "four concurrent first scans all stored" 4 \
	"$(sqlite3 "$E2E_TMP/race.db" "SELECT count(*) FROM scans WHERE status='done'")"
expect_eq "and none complained" "" "$(cat "$E2E_TMP"/race.*.err)"

# ---- excludes, size limit, binary files ----------------------------------
cat >"$repo/gatekeeper.yaml" <<'YAML'
scan:
  exclude:
    - "config/"
    - "*.txt"
  max_file_size: 1KB
YAML
head -c 2000 /dev/zero | tr '\0' 'x' >"$repo/big.md"
printf '\n%s\n' "$GHP" >>"$repo/big.md"
printf 'bin\000ary %s\n' "$GHP" >"$repo/blob.bin"
run_gk scan "$repo" --plugins secret --format json
found=$(printf '%s' "$OUT" | jq -r '.findings[] | "\(.rule) \(.path) \(.line)"' | sort)
expect_eq "excludes, size limit and binary skip" "github-pat src/app.py 5" "$found"
expect_eq "skipped count (big + binary)" 2 \
	"$(printf '%s' "$OUT" | jq .scan.files_skipped)"
run_gk scan "$repo" --plugins secret --db :memory:
expect_match "the summary counts skipped files" "in 3 file\\(s\\) \\(2 skipped\\)" \
	"$(printf '%s\n' "$OUT" | tail -n 1)"
expect_match "files over the size limit are announced" \
	"1 file\\(s\\) over max_file_size" "$ERR"
rm -f "$repo/gatekeeper.yaml" "$repo/big.md" "$repo/blob.bin"

# ---- a tracked file deleted from the working tree -------------------------
git -C "$repo" rm -q --cached README.md 2>/dev/null
printf 'gone\n' >"$repo/tracked-then-deleted.txt"
commit_all "$repo" "track a file"
rm "$repo/tracked-then-deleted.txt"
run_gk scan "$repo" --plugins secret --format json --db :memory:
expect_eq "a vanished file does not stop the scan" 1 "$RC"
expect_no_match "a vanished file is no error" "error" "$ERR"
expect_eq "findings still all there" 3 \
	"$(printf '%s' "$OUT" | jq '.findings | length')"

# ---- a plain directory: no git, links not followed, FIFOs skipped --------
plain="$E2E_TMP/plain"
outside="$E2E_TMP/outside"
mkdir -p "$plain/sub" "$outside" "$plain/.git-not"
printf 'k = "%s"\n' "$GHP" >"$outside/secret.txt"
ln -s "$outside" "$plain/link-dir"
ln -s "$outside/secret.txt" "$plain/link-file"
mkfifo "$plain/pipe"
printf 'a\nb\n%s\n' "$GHP" >"$plain/sub/found.txt"
printf '\377\376 latin1 \351t\351 %s\n' "$GHP" >"$plain/sub/latin1.txt"
run_gk scan "$plain" --plugins secret --format json --db :memory:
found=$(printf '%s' "$OUT" | jq -r '.findings[] | "\(.path) \(.line)"' | sort)
expect_eq "file-system walk findings" "$(printf 'sub/found.txt 3\nsub/latin1.txt 1')" "$found"
expect_eq "nothing written for :memory:" "" "$(ls -A "$plain" | grep gatekeeper)"
expect_eq "links and FIFO counted as skipped" 3 \
	"$(printf '%s' "$OUT" | jq .scan.files_skipped)"

# Same answer with one worker as with four.
run_gk scan "$plain" --plugins secret --format json --db :memory: -j 1
one=$(printf '%s' "$OUT" | jq -c '[.findings[] | .fingerprint] | sort')
run_gk scan "$plain" --plugins secret --format json --db :memory: -j 4
four=$(printf '%s' "$OUT" | jq -c '[.findings[] | .fingerprint] | sort')
expect_eq "-j 1 and -j 4 agree" "$one" "$four"

# ---- the ABI check -------------------------------------------------------
if command -v cc >/dev/null 2>&1; then
	pdir="$E2E_TMP/plugins"
	mkdir -p "$pdir"
	cat >"$pdir/old.c" <<'C'
#include <gatekeeper/plugin.h>
static int scan(void *s, const struct gk_file *f) { (void)s; (void)f; return 0; }
static const struct gk_plugin p = { 99, sizeof(struct gk_plugin), "old",
	"1", "built for another ABI", 0, 0, 0, 0, scan, 0, 0 };
const struct gk_plugin *gk_plugin_entry(void);
const struct gk_plugin *gk_plugin_entry(void) { return &p; }
C
	cc -shared -fPIC -I"$GK_TOP/include" -o "$pdir/old.so" "$pdir/old.c"
	run_gk scan "$clean" --plugin-dir "$pdir" --db :memory:
	expect_eq "ABI mismatch exits 2" 2 "$RC"
	expect_match "ABI mismatch explained" "built for ABI version 99" "$ERR"
fi

# ---- an encoded token is reported by its own rule, not the generic one ----
enc="$E2E_TMP/enc"
mkdir -p "$enc"
printf 'github:\n  token: %s\n' "$(printf '%s' "$GHP" | base64 | tr -d '\n')" \
	>"$enc/values.yaml"
run_gk scan "$enc" --plugins secret --db :memory: --format json
expect_eq "a base64 token under a secret-like key" "github-pat 2" \
	"$(printf '%s' "$OUT" | jq -r '.findings[] | "\(.rule) \(.line)"')"
expect_eq "with the fingerprint of the plain token" \
	"$(printf '%s' "$OUT" | jq -r '.findings[0].secret_sha256')" \
	"$(printf '%s' "$GHP" | sha256sum | cut -d' ' -f1)"

# ---- this repository passes its own policy (what make scan runs) ----------
run_gk scan "$GK_TOP" --db :memory: -q
expect_eq "the repository's own scan passes" 0 "$RC"
[ "$RC" -eq 0 ] || printf '%s\n' "$OUT" | head -n 20

# ---- the shared corpus: no crash, the Trivy fixture's token found --------
if [ -d "$GK_SHARED/corpus" ]; then
	run_gk scan "$GK_SHARED/corpus" --plugins secret --format json --db :memory:
	expect_eq "corpus scan exits 1 (secrets there)" 1 "$RC"
	expect_match "fake token in the Trivy secrets report" \
		'"path":[[:space:]]*"trivy/secrets.repo.json"' "$OUT"
else
	echo "note: no shared corpus at $GK_SHARED/corpus; its scan is skipped"
fi

e2e_done
