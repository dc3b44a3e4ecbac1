#include "rules.h"

#include <string.h>

const struct gk_rule_info ct_rules[] = {
	{ CT_RULE_IMAGE_LATEST,
	  "Image without a tag or with the latest tag",
	  "An image named by a Dockerfile FROM or a compose file has no tag "
	  "or the tag 'latest'.",
	  "Why: 'latest' moves whenever the publisher pushes, so two builds "
	  "of the same commit can ship different operating systems and "
	  "libraries, and a scan says nothing about the next build.\n"
	  "Fix: name a version tag and pin it by digest, e.g. "
	  "'FROM alpine:3.20@sha256:<digest>'.",
	  NULL, "container,dockerfile,compose,supply-chain", "very-high",
	  GK_SEV_MEDIUM },
	{ CT_RULE_IMAGE_UNPINNED,
	  "Image pinned by tag only, not by digest",
	  "An image named by a Dockerfile FROM or a compose file has a tag "
	  "but no digest.",
	  "Why: tags are mutable; a registry can serve different content "
	  "under the same tag, and a compromised registry account can "
	  "replace it.\n"
	  "Fix: add the digest, 'image:1.2@sha256:<digest>', and let a bot "
	  "update it.",
	  NULL, "container,dockerfile,compose,supply-chain", "very-high",
	  GK_SEV_LOW },
	{ CT_RULE_ROOT_USER,
	  "Container runs as root",
	  "The final stage of the Dockerfile sets no USER, or sets root.",
	  "Why: a process running as root inside the container is root on "
	  "the host the moment it escapes, and can modify the whole image "
	  "filesystem.\n"
	  "Fix: create an unprivileged user and end the final stage with "
	  "'USER <name or uid>'.",
	  NULL, "container,dockerfile,least-privilege", "high", GK_SEV_MEDIUM },
	{ CT_RULE_ADD_URL,
	  "ADD fetches a remote URL",
	  "An ADD instruction downloads from an http(s) URL without "
	  "--checksum.",
	  "Why: the download is neither verified nor reproducible, and ADD "
	  "hides the network access in a layer.\n"
	  "Fix: use 'ADD --checksum=sha256:<hash> URL dest', or download "
	  "with curl in a RUN step that verifies a checksum.",
	  NULL, "container,dockerfile,supply-chain", "very-high",
	  GK_SEV_MEDIUM },
	{ CT_RULE_PIPE_SHELL,
	  "Download piped into a shell",
	  "A RUN step pipes the output of curl or wget into a shell.",
	  "Why: whatever the server returns runs during the build, "
	  "unverified; a truncated download runs half a script.\n"
	  "Fix: download to a file, verify its checksum or signature, then "
	  "run it.",
	  NULL, "container,dockerfile,supply-chain", "high", GK_SEV_HIGH },
	{ CT_RULE_APT_RECOMMENDS,
	  "apt-get install without --no-install-recommends",
	  "A RUN step installs Debian packages with their recommended "
	  "packages.",
	  "Why: recommended packages enlarge the image and its attack "
	  "surface with software nothing asked for.\n"
	  "Fix: 'apt-get install -y --no-install-recommends <packages>'.",
	  NULL, "container,dockerfile,hygiene", "high", GK_SEV_LOW },
	{ CT_RULE_APT_LISTS,
	  "apt lists left in the image",
	  "A RUN step runs apt-get install but does not remove "
	  "/var/lib/apt/lists in the same step.",
	  "Why: the package lists add tens of megabytes to the layer and go "
	  "stale, inviting later installs of outdated versions.\n"
	  "Fix: end the step with '&& rm -rf /var/lib/apt/lists/*', or use "
	  "a cache mount for /var/lib/apt.",
	  NULL, "container,dockerfile,hygiene", "high", GK_SEV_LOW },
	{ CT_RULE_SECRET_ENV,
	  "Secret in ENV or ARG",
	  "An ENV or ARG whose name says it holds a password, token, secret "
	  "or key is given a literal value.",
	  "Why: ENV values and ARG defaults are stored in the image "
	  "metadata and history; anyone who can pull the image can read "
	  "them.\n"
	  "Fix: pass secrets at run time, or at build time with "
	  "'RUN --mount=type=secret'; rotate the exposed value.",
	  NULL, "container,dockerfile,secret", "medium", GK_SEV_HIGH },
	{ CT_RULE_SUDO,
	  "sudo in a RUN step",
	  "A RUN step runs a command through sudo.",
	  "Why: build steps already run as the current USER; sudo in an "
	  "image means it is installed and configured, a ready privilege "
	  "escalation at run time.\n"
	  "Fix: switch with 'USER root' for the step that needs it, then "
	  "back to the unprivileged user.",
	  NULL, "container,dockerfile,least-privilege", "high", GK_SEV_MEDIUM },
	{ CT_RULE_EXPOSE_SSH,
	  "SSH port exposed",
	  "The Dockerfile exposes port 22.",
	  "Why: an SSH daemon in a container is a second, long-lived way in "
	  "with its own keys to manage; containers are entered with the "
	  "runtime's exec instead.\n"
	  "Fix: remove the SSH server and 'EXPOSE 22'.",
	  NULL, "container,dockerfile,network", "high", GK_SEV_MEDIUM },
	{ CT_RULE_NO_HEALTHCHECK,
	  "No HEALTHCHECK",
	  "The final stage of the Dockerfile has no HEALTHCHECK "
	  "instruction.",
	  "Why: without a health check the runtime only knows whether the "
	  "process exists, not whether it serves; hung containers keep "
	  "receiving traffic.\n"
	  "Fix: add 'HEALTHCHECK CMD <probe>', or 'HEALTHCHECK NONE' where "
	  "the orchestrator probes instead.",
	  NULL, "container,dockerfile,reliability", "high", GK_SEV_LOW },
};

const struct gk_rule_info *ct_rule(const char *id)
{
	size_t i;

	for (i = 0; i < CT_NRULES; i++)
		if (strcmp(ct_rules[i].id, id) == 0)
			return &ct_rules[i];
	return NULL;
}
