#!/bin/sh
# End-to-end: gitleaks compatibility on repositories made here.  A
# .gitleaks.toml's rules run; configuration errors exit 2 with their
# place; ignore entries suppress exactly the secret they name, in every
# mode; a gatekeeper report lying in the tree raises nothing.
. "$(dirname "$0")/lib.sh"

# Fake credentials are assembled at run time so that this file holds none.
KEY1="acme_""k3j4h5g6f7d8s9a0"
KEY2="acme_""z9x8c7v6b5n4m3q2"
GHP="ghp_""Xq3vT9mK2pL8wR4nB7cY1zD6fH0jA5sE2gUi"

# The findings of the last JSON report: "rule path line", sorted, joined.
rules_of() {
	printf '%s' "$OUT" |
		jq -r '[.findings[] | "\(.rule) \(.path) \(.line)"] |
			sort | join(",")'
}

repo="$E2E_TMP/repo"
new_repo "$repo"
cat >"$repo/.gitleaks.toml" <<'EOF'
title = "test"

[[rules]]
id = "acme-key"
description = "Acme API key"
regex = '''\b(acme_[a-z0-9]{16})\b'''
keywords = ["acme_"]
tags = ["acme"]
EOF
printf 'first = %s\n' "$KEY1" >"$repo/app.conf"
commit_all "$repo" "initial"

# ---- a .gitleaks.toml replaces the rules ---------------------------------
run_gk scan "$repo" --db :memory: --format json --plugins secret
expect_eq "gitleaks rule fails the run" 1 "$RC"
expect_eq "only the gitleaks rule runs" "acme-key app.conf 1" "$(rules_of)"
expect_eq "title from description" "Acme API key" \
	"$(printf '%s' "$OUT" | jq -r '.findings[0].title')"
fp=$(printf '%s' "$OUT" | jq -r '.findings[0].fingerprint')

# ---- configuration errors exit 2 with a located message ------------------
bad="$E2E_TMP/bad"
new_repo "$bad"
printf '[[rules]]\nid = "x"\nregex = "a"\nid = "y"\n' >"$bad/.gitleaks.toml"
run_gk scan "$bad" --db :memory: --plugins secret
expect_eq "TOML error exits 2" 2 "$RC"
expect_match "TOML error is located" \
	"\\.gitleaks\\.toml' line 4 column 1: duplicate key 'id'" "$ERR"
printf '[[rules]]\nid = "no-pattern"\n' >"$bad/.gitleaks.toml"
run_gk scan "$bad" --db :memory: --plugins secret
expect_eq "rule without regex exits 2" 2 "$RC"
expect_match "bad rule is named" "rule 'no-pattern': needs a regex or a path" \
	"$ERR"

# ---- --gitleaks-config and [extend] --------------------------------------
cfgdir="$E2E_TMP/cfg"
mkdir -p "$cfgdir/base"
printf '[extend]\npath = "base/base.toml"\ndisabledRules = ["acme-key"]\n' \
	>"$cfgdir/top.toml"
printf '[extend]\nuseDefault = true\n' >"$cfgdir/base/base.toml"
cat >>"$cfgdir/base/base.toml" <<'EOF'
[[rules]]
id = "acme-key"
regex = '''acme_[a-z0-9]{16}'''
EOF
plain="$E2E_TMP/plain"
new_repo "$plain"
printf 'a = %s\nb: %s\n' "$KEY1" "$GHP" >"$plain/x.txt"
commit_all "$plain" "initial"
run_gk scan "$plain" --db :memory: --format json --plugins secret \
	--gitleaks-config "$cfgdir/top.toml"
expect_eq "extend: defaults kept, acme-key disabled" "github-pat x.txt 2" \
	"$(rules_of)"
printf '[extend]\npath = "../outside.toml"\n' >"$plain/.gitleaks.toml"
printf '' >"$E2E_TMP/outside.toml"
run_gk scan "$plain" --db :memory: --plugins secret
expect_eq "extend leaving the tree exits 2" 2 "$RC"
expect_match "extend leaving the tree is said" "leaves the scanned tree" "$ERR"
printf '[allowlist]\nregexes = ['"'''"'^ghp_Xq3'"'''"']\n' \
	>"$plain/.gitleaks.toml"
run_gk scan "$plain" --db :memory: --format json --plugins secret
expect_eq "allowlist-only config keeps defaults and allows" "" "$(rules_of)"
expect_eq "allowlist-only config passes" 0 "$RC"

# ---- fingerprints in .gatekeeperignore -----------------------------------
printf '# reviewed\n%s\n' "$fp" >"$repo/.gatekeeperignore"
run_gk scan "$repo" --db :memory: --format json --plugins secret
expect_eq "ignored fingerprint passes" 0 "$RC"
expect_eq "ignored fingerprint: no findings" "" "$(rules_of)"
printf 'first = %s second = %s\n' "$KEY1" "$KEY2" >"$repo/app.conf"
run_gk scan "$repo" --db :memory: --format json --plugins secret
expect_eq "another secret on the same line is reported" \
	"acme-key app.conf 1" "$(rules_of)"
expect_match "it is the other secret" "^$(printf '%s' "$KEY2" | \
	sha256sum | cut -c1-64)\$" \
	"$(printf '%s' "$OUT" | jq -r '.findings[0].secret_sha256')"
git -C "$repo" checkout -q app.conf

# One entry covers the working tree, the index and the history.
git -C "$repo" add .gatekeeperignore && git -C "$repo" commit -qm ignore
printf 'staged = %s\n' "$KEY1" >"$repo/app.conf"
git -C "$repo" add app.conf
run_gk scan "$repo" --db :memory: --format json --plugins secret --staged
expect_eq "staged: ignored" "" "$(rules_of)"
git -C "$repo" commit -qm "move the key"
run_gk scan "$repo" --db :memory: --format json --plugins secret --history
expect_eq "history: ignored" "" "$(rules_of)"
git -C "$repo" rm -q --cached .gatekeeperignore
mv "$repo/.gatekeeperignore" "$E2E_TMP/saved-ignore"
run_gk scan "$repo" --db :memory: --format json --plugins secret --history
expect_eq "history without the entry reports both commits" \
	"acme-key app.conf 1,acme-key app.conf 1" "$(rules_of)"
expect_eq "history fingerprint equals the worktree one" "$fp" \
	"$(printf '%s' "$OUT" | jq -r '[.findings[].fingerprint] | unique | join(",")')"

# ---- gitleaks-style entries: [commit:]path:rule:line ---------------------
printf 'app.conf:acme-key:1\n' >"$repo/.gitleaksignore"
run_gk scan "$repo" --db :memory: --format json --plugins secret
expect_eq "path:rule:line entry matches" "" "$(rules_of)"
printf 'app.conf:acme-key:2\n' >"$repo/.gitleaksignore"
run_gk scan "$repo" --db :memory: --format json --plugins secret
expect_eq "another line is not matched" "acme-key app.conf 1" "$(rules_of)"
head=$(git -C "$repo" rev-parse HEAD)
printf '%s:app.conf:acme-key:1\n' "$head" >"$repo/.gitleaksignore"
run_gk scan "$repo" --db :memory: --format json --plugins secret --history
expect_eq "commit entry matches only its commit" "acme-key app.conf 1" \
	"$(rules_of)"
expect_eq "the other commit is the one left" \
	"$(git -C "$repo" rev-parse HEAD~2)" \
	"$(printf '%s' "$OUT" | jq -r '.findings[0].commit // empty')"
printf 'not an entry\n' >"$repo/.gitleaksignore"
run_gk scan "$repo" --db :memory: --plugins secret
expect_match "a bad entry is a warning with its line" \
	"'.gitleaksignore' line 1: neither a fingerprint" "$ERR"
rm -f "$repo/.gitleaksignore"

# ---- gatekeeper's own reports raise nothing ------------------------------
own="$E2E_TMP/own"
new_repo "$own"
printf 'k: %s\n' "$GHP" >"$own/secret.txt"
run_gk scan "$own" --db :memory: --plugins secret --format json
printf '%s\n' "$OUT" >"$E2E_TMP/report.json"
run_gk scan "$own" --db :memory: --plugins secret --format sarif
printf '%s\n' "$OUT" >"$E2E_TMP/report.sarif"
rm "$own/secret.txt"
mkdir -p "$own/reports"
cp "$E2E_TMP/report.json" "$E2E_TMP/report.sarif" "$own/reports/"
run_gk scan "$own" --db :memory: --plugins secret --format json
expect_eq "reports in the tree: no findings" "" "$(rules_of)"
expect_eq "reports in the tree: pass" 0 "$RC"
printf '{"tool": {"name": "gatekeeper"}, "note": "k: %s"}\n' "$GHP" \
	>"$own/reports/fake.json"
run_gk scan "$own" --db :memory: --plugins secret --format json
expect_eq "a real secret in a report-like file is still found" \
	"github-pat reports/fake.json 1" "$(rules_of)"

e2e_done
