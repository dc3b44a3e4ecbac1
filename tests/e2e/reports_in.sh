#!/bin/sh
# End-to-end: reports named on the command line reach only the plugins
# that ingest them, whatever their file names, and one problem named by
# two reports is one finding.
. "$(dirname "$0")/lib.sh"

T="$GK_TOP/tests/fixtures/container/trivy"
[ -d "$T" ] || { echo "no corpus at $T"; e2e_done; exit 1; }
empty="$E2E_TMP/empty"
mkdir -p "$empty"
cp "$T/alpine-310.image.json" "$E2E_TMP/trivy.out"
cp "$T/alpine-310.image.json" "$E2E_TMP/again.json"

vulns=$(jq '[.Results[].Vulnerabilities[]?] | length' "$T/alpine-310.image.json")
distinct=$(jq '[.Results[].Vulnerabilities[]? | "\(.PkgName) \(.InstalledVersion) \(.VulnerabilityID)"] | unique | length' \
	"$T/alpine-310.image.json")
expect_eq "the fixture has no repeated vulnerability" "$vulns" "$distinct"

run_gk scan "$empty" --db :memory: --format json --trivy-report "$E2E_TMP/trivy.out"
expect_eq "a report named trivy.out is read" "$vulns" \
	"$(printf '%s' "$OUT" | jq '[.findings[] | select(.plugin=="container")] | length')"
expect_eq "the secret plugin is not handed the report" 0 \
	"$(printf '%s' "$OUT" | jq '[.findings[] | select(.plugin=="secret")] | length')"

run_gk scan "$empty" --db :memory: --format json \
	--trivy-report "$E2E_TMP/trivy.out" --trivy-report "$E2E_TMP/again.json"
expect_eq "two copies of one report: each vulnerability once" "$vulns" \
	"$(printf '%s' "$OUT" | jq '.findings | length')"

printf '{"not": "a report"}' >"$E2E_TMP/other.json"
run_gk scan "$empty" --db :memory: --format json --trivy-report "$E2E_TMP/other.json"
expect_eq "another tool's JSON: the scan goes on" 0 "$RC"
expect_match "another tool's JSON: a warning naming it" "other.json" "$ERR"

run_gk scan "$empty" --db :memory: --trivy-report "$E2E_TMP/missing.json"
expect_eq "a missing named report is a usage error" 2 "$RC"
expect_match "a missing report is named" "missing.json" "$ERR"

# Reports named in gatekeeper.yaml: relative to the root; missing is exit 2.
cfgd="$E2E_TMP/cfgd"
mkdir -p "$cfgd/reports"
printf 'reports:\n  trivy: [reports/trivy.json]\n' >"$cfgd/gatekeeper.yaml"
run_gk scan "$cfgd" --db :memory: -q
expect_eq "a missing report named in gatekeeper.yaml exits 2" 2 "$RC"
expect_match "and is named" "reports/trivy.json" "$ERR"
cp "$T/alpine-310.image.json" "$cfgd/reports/trivy.json"
run_gk scan "$cfgd" --db :memory: --format json
expect_eq "a report named in gatekeeper.yaml is read" "$vulns" \
	"$(printf '%s' "$OUT" | jq '[.findings[] | select(.plugin=="container")] | length')"
expect_eq "its findings name it from the root" "reports/trivy.json" \
	"$(printf '%s' "$OUT" | jq -r '[.findings[] | select(.plugin=="container")][0].path')"
run_gk scan "$empty" --db :memory: --format json --trivy-report "$E2E_TMP/trivy.out"
expect_eq "a report outside the root is named absolutely" "$E2E_TMP/trivy.out" \
	"$(printf '%s' "$OUT" | jq -r '[.findings[] | select(.plugin=="container")][0].path')"

# A password given a literal value in a Dockerfile fails the default policy.
dock="$E2E_TMP/dock"
mkdir -p "$dock"
printf 'FROM alpine:3.19@sha256:%064d\nENV POSTGRES_PASSWORD=postgres123\nUSER app\nHEALTHCHECK CMD true\n' 0 \
	>"$dock/Dockerfile"
run_gk scan "$dock" --db :memory: --format json
expect_eq "a Dockerfile secret fails the default policy" 1 "$RC"
expect_eq "counted by the secrets gate" 1 \
	"$(printf '%s' "$OUT" | jq '.gates[] | select(.id=="secrets") | .count')"

e2e_done
