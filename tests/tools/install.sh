#!/bin/sh
# Installs the validators the end-to-end tests run on the reports
# gatekeeper writes (from the npm registry, as pinned in package-lock.json):
#   ajv + ajv-draft-04 + ajv-formats   JSON Schema (SARIF's is draft-04)
#   @microsoft/sarif-multitool-linux   SARIF and GitHub ingestion rules
# Needs node and npm.  Safe to run again; does nothing when up to date.
set -eu
cd "$(dirname "$0")"
mt=node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ -x "$mt" ] && [ -d node_modules/ajv-draft-04 ] &&
	[ node_modules/.package-lock.json -nt package-lock.json ]; then
	exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
# npm may skip the package's own install script that sets this bit.
chmod u+x "$mt"
"$mt" --version >/dev/null 2>&1
