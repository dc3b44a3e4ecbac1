#!/bin/sh
# End-to-end: --staged and --history on repositories made here.
. "$(dirname "$0")/lib.sh"

TOK1="ghp_""Wq8Lr2Zt6Yp1Xm4Nb7Vc3Kd9Hf5Js0Ga2Uex"
TOK2="ghp_""Pz4Kx9Rm2Tb7Wq1Ns6Yd3Lf8Hc5Vj0Ga3Eik"
TOK3="ghp_""Mn3Bv8Cx1Zl6Kj4Hg9Fd2Sa7Qw5Er0Ty2Uiq"

repo="$E2E_TMP/repo"
new_repo "$repo"
seq 1 10 | sed 's/^/line /' >"$repo/notes.txt"
printf 'old = "%s"\n' "$TOK1" >"$repo/committed.txt"
commit_all "$repo" "base"

# ---- --staged: only what the index adds, read from the index -------------
seq 1 10 | sed 's/^/line /' | sed "7s/.*/token = \"$TOK2\"/" >"$repo/notes.txt"
printf 'a\nb\nkey = "%s"\n' "$TOK3" >"$repo/staged-then-deleted.txt"
git -C "$repo" add notes.txt staged-then-deleted.txt
rm "$repo/staged-then-deleted.txt"
run_gk scan "$repo" --staged --plugins secret --format json --db :memory:
expect_eq "staged secret blocks" 1 "$RC"
found=$(printf '%s' "$OUT" | jq -r '.findings[] | "\(.path) \(.line)"' | sort)
expect_eq "staged findings at file lines" \
	"$(printf 'notes.txt 7\nstaged-then-deleted.txt 3')" "$found"
expect_eq "staged scan mode" staged "$(printf '%s' "$OUT" | jq -r .scan.mode)"

# A name with a space: the same path (and fingerprint) as a tree scan.
printf 'k = "%s"\n' "$TOK1" >"$repo/with space.txt"
git -C "$repo" add "with space.txt"
run_gk scan "$repo" --staged --plugins secret --format json --db :memory:
staged_fp=$(printf '%s' "$OUT" | jq -r '.findings[] | select(.path=="with space.txt") | .fingerprint')
run_gk scan "$repo" --plugins secret --format json --db :memory:
tree_fp=$(printf '%s' "$OUT" | jq -r '.findings[] | select(.path=="with space.txt") | .fingerprint')
expect_match "a staged name with a space keeps its path" '^[0-9a-f]{32}$' "$staged_fp"
expect_eq "and its fingerprint" "$tree_fp" "$staged_fp"
git -C "$repo" rm -q --cached "with space.txt"
rm -f "$repo/with space.txt"

# An unstaged secret is not the commit's business.
git -C "$repo" reset -q
printf 'x = "%s"\n' "$TOK2" >"$repo/unstaged.txt"
run_gk scan "$repo" --staged --plugins secret --format json --db :memory:
expect_eq "nothing staged passes" 0 "$RC"
expect_eq "nothing staged, no findings" 0 \
	"$(printf '%s' "$OUT" | jq '.findings | length')"
rm -f "$repo/unstaged.txt"
git -C "$repo" checkout -q -- .

# ---- --history: every commit's added lines, with who and when -----------
hist="$E2E_TMP/hist"
new_repo "$hist"
printf 'one\nk = "%s"\n' "$TOK1" >"$hist/a.txt"
commit_all "$hist" "add a"
c1=$(git -C "$hist" rev-parse HEAD)
printf 'one\n' >"$hist/a.txt"
commit_all "$hist" "remove the key"
printf 'x\ny\nz = "%s"\n' "$TOK2" >"$hist/b.txt"
commit_all "$hist" "add b"
c3=$(git -C "$hist" rev-parse HEAD)

run_gk scan "$hist" --history --plugins secret --format json
expect_eq "history exits 1" 1 "$RC"
found=$(printf '%s' "$OUT" | jq -r '.findings[] | "\(.commit) \(.path) \(.line)"' | sort)
expect_eq "history findings" "$(printf '%s a.txt 2\n%s b.txt 3' "$c1" "$c3" | sort)" "$found"
expect_eq "the scan records the commit, not the branch" "$c3" \
	"$(printf '%s' "$OUT" | jq -r .scan.commit)"
expect_eq "author and email" "Test test@example.invalid" \
	"$(printf '%s' "$OUT" | jq -r '.findings[0] | "\(.author) \(.email)"')"
expect_match "commit date" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' \
	"$(printf '%s' "$OUT" | jq -r '.findings[0].date')"
hist_fp=$(printf '%s' "$OUT" | jq -r '.findings[] | select(.path=="b.txt") | .fingerprint')

# One secret, one fingerprint in every mode.
run_gk scan "$hist" --plugins secret --format json
tree_fp=$(printf '%s' "$OUT" | jq -r '.findings[] | select(.path=="b.txt") | .fingerprint')
expect_eq "same fingerprint in history and tree" "$hist_fp" "$tree_fp"
expect_eq "the removed key is gone from the tree" 1 \
	"$(printf '%s' "$OUT" | jq '.findings | length')"

run_gk scan "$hist" --history=HEAD~1..HEAD --plugins secret --format json --db :memory:
found=$(printf '%s' "$OUT" | jq -r '.findings[] | "\(.commit) \(.path)"')
expect_eq "history range" "$c3 b.txt" "$found"
run_gk scan --history HEAD~1..HEAD "$hist" --plugins secret --format json --db :memory:
found=$(printf '%s' "$OUT" | jq -r '.findings[] | "\(.commit) \(.path)"')
expect_eq "history range as a separate word" "$c3 b.txt" "$found"
run_gk scan --history "$hist" --plugins secret --format json --db :memory:
expect_eq "--history then PATH scans all history" 2 \
	"$(printf '%s' "$OUT" | jq '.findings | length')"
run_gk scan "$hist" --history=no-such-ref --plugins secret --db :memory:
expect_eq "bad range exits 2" 2 "$RC"
expect_match "bad range named" "no-such-ref" "$ERR"

# ---- modes need git -------------------------------------------------------
mkdir -p "$E2E_TMP/plain"
run_gk scan "$E2E_TMP/plain" --staged --plugins secret --db :memory:
expect_eq "--staged outside git exits 2" 2 "$RC"
expect_match "--staged outside git says why" "not a git work tree" "$ERR"
run_gk scan "$hist" --staged --history --db :memory:
expect_eq "--staged with --history exits 2" 2 "$RC"

e2e_done
