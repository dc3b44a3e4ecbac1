#!/bin/sh
# Writes a synthetic Trivy SchemaVersion 2 report of about SIZE_MB
# megabytes (default 100) to stdout: one image target whose
# vulnerabilities carry the fields a real report has (CVSS from two
# sources, references, a description), packages listed as with
# --list-all-pkgs.  Deterministic: the same size gives the same bytes.
#   usage: bench/trivy_gen.sh [SIZE_MB] > report.json
size_mb=${1:-100}
awk -v target_bytes="$((size_mb * 1000 * 1000))" '
function vuln(i,   pkg, sev, s) {
	pkg = i % 5000
	sev = sevs[i % 5]
	s = sprintf("{\"VulnerabilityID\":\"CVE-2024-%06d\",", i)
	s = s sprintf("\"PkgID\":\"pkg%d@1.%d.0-r0\",", pkg, pkg % 7)
	s = s sprintf("\"PkgName\":\"pkg%d\",", pkg)
	s = s sprintf("\"PkgIdentifier\":{\"PURL\":\"pkg:apk/alpine/pkg%d@1.%d.0-r0?arch=x86_64&distro=3.19.1\",\"UID\":\"%016x\"},", pkg, pkg % 7, i)
	s = s sprintf("\"InstalledVersion\":\"1.%d.0-r0\",", pkg % 7)
	s = s sprintf("\"FixedVersion\":\"1.%d.1-r0, 2.0.%d-r1\",", pkg % 7, i % 9)
	s = s "\"Status\":\"fixed\","
	s = s "\"Layer\":{\"Digest\":\"sha256:9d48c3bd43c520dc2784e868a780e976b207cbf493eaff8c6596eb871cbd9609\",\"DiffID\":\"sha256:03901b4a2ea88eeaad62dbe59b072b28b6efa00491962b8741081c5df50c65e0\"},"
	s = s "\"SeveritySource\":\"nvd\","
	s = s sprintf("\"PrimaryURL\":\"https://avd.aquasec.com/nvd/cve-2024-%06d\",", i)
	s = s "\"DataSource\":{\"ID\":\"alpine\",\"Name\":\"Alpine Secdb\",\"URL\":\"https://secdb.alpinelinux.org/\"},"
	s = s sprintf("\"Title\":\"pkg%d: synthetic flaw number %d\",", pkg, i)
	s = s sprintf("\"Description\":\"A synthetic description of flaw %d in pkg%d, long enough to weigh like a real advisory text that explains impact, affected versions and the fix in a sentence or two.\",", i, pkg)
	s = s sprintf("\"Severity\":\"%s\",", sev)
	s = s "\"CweIDs\":[\"CWE-787\"],"
	s = s "\"VendorSeverity\":{\"nvd\":3,\"redhat\":2},"
	s = s sprintf("\"CVSS\":{\"nvd\":{\"V2Vector\":\"AV:N/AC:L/Au:N/C:P/I:N/A:N\",\"V3Vector\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N\",\"V2Score\":5,\"V3Score\":%d.%d},\"redhat\":{\"V3Vector\":\"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N\",\"V3Score\":4.8}},", 4 + i % 6, i % 10)
	s = s sprintf("\"References\":[\"https://example.org/advisory/%d\",\"https://example.org/patch/%d\",\"https://example.org/list/%d\"],", i, i, i)
	s = s "\"PublishedDate\":\"2024-01-10T17:15:00Z\",\"LastModifiedDate\":\"2024-02-20T22:15:00Z\"}"
	return s
}
function package(p) {
	return sprintf("{\"ID\":\"pkg%d@1.%d.0-r0\",\"Name\":\"pkg%d\",\"Identifier\":{\"PURL\":\"pkg:apk/alpine/pkg%d@1.%d.0-r0?arch=x86_64&distro=3.19.1\"},\"Version\":\"1.%d.0-r0\",\"Arch\":\"x86_64\",\"Licenses\":[\"MIT\"]}", p, p % 7, p, p, p % 7, p % 7)
}
BEGIN {
	split("CRITICAL HIGH MEDIUM LOW UNKNOWN", tmp, " ")
	for (k = 1; k <= 5; k++) sevs[k - 1] = tmp[k]
	head = "{\"SchemaVersion\":2,\"Trivy\":{\"Version\":\"0.50.0\"},"
	head = head "\"ArtifactName\":\"registry.example.org/bench/app:1.0\","
	head = head "\"ArtifactType\":\"container_image\","
	head = head "\"Metadata\":{\"OS\":{\"Family\":\"alpine\",\"Name\":\"3.19.1\"},"
	head = head "\"RepoTags\":[\"registry.example.org/bench/app:1.0\"]},"
	head = head "\"Results\":[{\"Target\":\"registry.example.org/bench/app:1.0 (alpine 3.19.1)\","
	head = head "\"Class\":\"os-pkgs\",\"Type\":\"alpine\",\"Packages\":["
	printf "%s", head
	written = length(head)
	for (p = 0; p < 5000; p++) {
		s = (p ? "," : "") package(p)
		printf "%s", s
		written += length(s)
	}
	printf "],\"Vulnerabilities\":["
	for (i = 0; written < target_bytes - 100; i++) {
		s = (i ? "," : "") vuln(i)
		printf "%s", s
		written += length(s) + 1
	}
	printf "]}]}\n"
}'
