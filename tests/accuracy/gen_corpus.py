#!/usr/bin/env python3
"""Writes corpus.tsv, the labelled corpus of the secret accuracy suite
(tests/plugins/secret/test_accuracy.c):

    python3 tests/accuracy/gen_corpus.py > tests/accuracy/corpus.tsv

Positives are fake tokens of every rule's format (tokens.py), placed in
small files of several kinds (.env, YAML, JSON, Python, JavaScript, shell),
some of them base64- or hex-encoded; hard negatives are the values a
scanner must leave alone: documented example keys, placeholders,
environment and secret-manager look-ups, digests, UUIDs, lockfile hashes,
images, minified code, identifiers and prose.  Everything comes from a
fixed seed, so the file is the same on every run; no value is a real
credential.

Columns: "pos" or "neg", family (for a negative: its kind), the line of
the secret (0 for a negative), path, content with \\n, \\t, \\\\ escapes.
"""
import base64
import binascii
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "fixtures", "secret"))
import tokens  # noqa: E402

rng = random.Random(7070)
rows = []

FILLER = [
    "# settings for the staging deployment",
    "log_level: info",
    "timeout = 30",
    "import os",
    "const express = require('express');",
    "region: eu-west-1",
    "set -euo pipefail",
    "retries: 3",
    "def handler(event, context):",
    "  replicas: 2",
    "",
]


def camel(name):
    parts = name.lower().split("_")
    return parts[0] + "".join(p.capitalize() for p in parts[1:])


def wrap(kind, name, tok):
    """One line assigning tok to name, and the file's path."""
    if kind == "env":
        return "%s=%s" % (name, tok), "deploy/.env"
    if kind == "yaml":
        return "%s: %s" % (name.lower(), tok), "config/app.yaml"
    if kind == "json":
        return '  "%s": "%s",' % (camel(name), tok), "config/settings.json"
    if kind == "py":
        return '%s = "%s"' % (name, tok), "app/settings.py"
    if kind == "js":
        return "const %s = '%s';" % (camel(name), tok), "src/config.js"
    return 'export %s="%s"' % (name, tok), "scripts/deploy.sh"


def place(line, path):
    """Puts line among filler lines; returns (line number, content)."""
    before = [rng.choice(FILLER) for _ in range(rng.randrange(0, 4))]
    after = [rng.choice(FILLER) for _ in range(rng.randrange(0, 3))]
    return len(before) + 1, "\n".join(before + [line] + after) + "\n"


def pos(family, line, path, text=None):
    if text is None:
        n, text = place(line, path)
    else:
        n = line
    rows.append(("pos", family, n, path, text))


def neg(kind, text, path="config/app.yaml"):
    rows.append(("neg", kind, 0, path, text))


def name_for(rule, spec):
    if spec.name:
        return spec.name
    return spec.family.upper().replace("-", "_").replace("1PASSWORD", "OP") + "_CREDENTIAL"


KINDS = ["env", "yaml", "json", "py", "js", "sh"]

# ---- positives: two per plain token rule, a third encoded for some ----
for i, (rule, spec) in enumerate(sorted(tokens.SPECS.items())):
    for k in range(2):
        kind = KINDS[(i + 3 * k) % len(KINDS)]
        line, path = wrap(kind, name_for(rule, spec), tokens.make(rng, rule))
        pos(spec.family, line, path)
    if i % 4 == 0:
        plain = "%s=%s" % (name_for(rule, spec), tokens.make(rng, rule))
        if i % 8 == 0:
            enc = base64.b64encode(plain.encode()).decode()
        else:
            enc = binascii.hexlify(plain.encode()).decode()
        pos(spec.family, "  settings: " + enc, "k8s/values.yaml")

R = tokens.rand


def pem(label, n=6, sep="\n"):
    body = sep.join(R(rng, "B64", 64) for _ in range(n)) + sep + R(rng, "B64", 20) + "=="
    return "-----BEGIN %s-----%s%s%s-----END %s-----" % (label, sep, body, sep, label)


for label, path in (("RSA PRIVATE KEY", "id_rsa"), ("EC PRIVATE KEY", "ec.pem"),
                    ("OPENSSH PRIVATE KEY", "id_ed25519"), ("PRIVATE KEY", "key.pem"),
                    ("DSA PRIVATE KEY", "dsa.pem"), ("ENCRYPTED PRIVATE KEY", "enc.pem")):
    pos("private-key", 3, path, "# key\n" + pem(label) + "\n")  # the body
    pos("private-key", 1, "values.yaml", "key: " + pem(label, 4, " ") + "\n")
for _ in range(3):
    jwt = (tokens.b64url('{"alg":"HS256","typ":"JWT"}') + "." +
           tokens.b64url('{"sub":"%s","role":"admin"}' % R(rng, "D", 8)) + "." + R(rng, "U64", 43))
    pos("jwt", 2, "request.http", "GET /v1/me\nAuthorization: Bearer " + jwt + "\n")
for scheme in ("postgres", "mysql", "mongodb+srv", "redis", "amqps"):
    pos("database", 1, ".env", "DATABASE_URL=%s://svc:%s@db.internal:5432/app\n"
        % (scheme, R(rng, "A", 18)))
for name in ("password", "db_password", "client_secret", "api_key", "auth_token", "passphrase"):
    for kind in ("py", "yaml", "json"):
        line, path = wrap(kind, name.upper(), R(rng, "A", 6) + R(rng, "D", 2) + R(rng, "A", 12))
        pos("generic", line, path)
for _ in range(3):
    pos("curl", 2, "run.sh", "#!/bin/sh\ncurl -sf -H 'Authorization: Bearer %s' https://api.example.com/v2\n"
        % R(rng, "A", 40))
    pos("curl", 1, "run.sh", "curl --user deploy:%s https://ci.example.com/api\n" % R(rng, "A", 20))
    pos("kubernetes", 7, "k8s/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\n"
        "type: Opaque\ndata:\n  token: %s==\n" % R(rng, "B64", 30))
    pos("azure", 1, "app.config", "conn=DefaultEndpointsProtocol=https;AccountName=demo;AccountKey="
        + R(rng, "B64", 86) + "==;EndpointSuffix=core.windows.net\n")
    pos("sidekiq", 1, ".env", "BUNDLE_GEMS__CONTRIBSYS__COM=%s:%s\n" % (R(rng, "H", 8), R(rng, "H", 8)))
    pos("microsoft-teams", 1, "notify.yaml", "webhook: https://acme.webhook.office.com/webhookb2/%s@%s/"
        "IncomingWebhook/%s/%s\n" % (tokens.uuid(rng), tokens.uuid(rng), R(rng, "H", 32), tokens.uuid(rng)))
    pos("discord", 1, "notify.yaml", "url: https://discord.com/api/webhooks/%s/%s\n"
        % (R(rng, "D", 18), R(rng, "U64", 68)))
    pos("nuget", 3, "NuGet.Config", '<packageSourceCredentials>\n  <feed>\n'
        '    <add key="ClearTextPassword" value="%s" />\n' % R(rng, "A", 20))

# ---- hard negatives -----------------------------------------------------
DOC_EXAMPLES = [
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwi"
    "aWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "xoxb-your-bot-token",
    "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
    "AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
]
DOC_NAMES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "JWT", "SLACK_WEBHOOK_URL",
             "TWILIO_ACCOUNT_SID", "GITHUB_TOKEN", "SLACK_BOT_TOKEN", "STRIPE_SECRET_KEY",
             "GOOGLE_API_KEY", "AZURE_STORAGE_KEY"]
for value, name in zip(DOC_EXAMPLES, DOC_NAMES):
    for kind in ("env", "yaml", "json"):
        line, path = wrap(kind, name, value)
        neg("documented-example", line + "\n", path)
    if name == "AZURE_STORAGE_KEY":
        neg("documented-example", "UseDevelopmentStorage=true;AccountName=devstoreaccount1;"
            "AccountKey=" + value + "\n", "local.settings")

PLACEHOLDERS = ["${DB_PASSWORD}", "<your-token>", "changeme", "xxxxxxxxxxxxxxxx", "****************",
                "your_api_key", "YOUR_API_KEY_HERE", "{{ .Values.apiKey }}", "%(password)s",
                "<REPLACE_ME>", "$SECRET_TOKEN", "REDACTED", "<insert-your-key-here>",
                "${{ secrets.DEPLOY_KEY }}", "${env:API_TOKEN}", "{{ vault_db_password }}"]
PNAMES = ["PASSWORD", "API_KEY", "GITHUB_TOKEN", "STRIPE_SECRET_KEY", "DATADOG_API_KEY",
          "CLIENT_SECRET", "SLACK_BOT_TOKEN", "TWILIO_AUTH_TOKEN"]
for i, ph in enumerate(PLACEHOLDERS):
    for j in range(4):
        kind = KINDS[(i + j) % len(KINDS)]
        line, path = wrap(kind, PNAMES[(i + 3 * j) % len(PNAMES)], ph)
        neg("placeholder", line + "\n", path)

LOOKUPS = [
    'password = os.environ["DB_PASSWORD"]', 'api_key = os.getenv("OPENAI_API_KEY")',
    "const token = process.env.GITHUB_TOKEN;", "secret := os.Getenv(\"CLIENT_SECRET\")",
    'String pw = System.getenv("DB_PASSWORD");', "token: ${{ secrets.NPM_TOKEN }}",
    'api_key = ENV.fetch("STRIPE_SECRET_KEY")', "password: !vault |",
    "DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id prod/db --query SecretString)",
    "export VAULT_TOKEN=$(vault print token)",
    "token = vault.read('secret/data/ci')['data']['token']",
    "client_secret = keyring.get_password('svc', 'client')",
    'password: "{{ lookup(\'env\', \'DB_PASSWORD\') }}"',
    "secretKeyRef:\n  name: db-credentials\n  key: password",
    "api_key = config['api_key']", "token = settings.GITHUB_TOKEN",
    'var apiKey = Environment.GetEnvironmentVariable("API_KEY");',
    "password = getpass.getpass()", "auth_token=$(cat /run/secrets/auth_token)",
    "secret = ssm.get_parameter(Name='/prod/api/secret', WithDecryption=True)",
    "DATADOG_API_KEY: ${DATADOG_API_KEY:?missing}",
    "STRIPE_SECRET_KEY=op://vault/stripe/secret-key",
    "token: !Ref GitHubTokenParameter",
    "password: ENC[AES256_GCM,data:...,type:str]",
    "api_key = self.api_key",
]
LOOKUPS += [
    "password = var.db_password", 'token = data.vault_generic_secret.ci.data["token"]',
    "password: {{ .Values.db.password | quote }}",
    'secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>', "api_key: null", 'token: ""',
    "password = None", 'password_regex: "^(?=.*[A-Z])(?=.*[0-9]).{12,}$"',
    "token_version: 1.2.3-alpha.4", "secret_name: prod-db-credentials-v2",
    "auth_token_header: X-Auth-Token", 'password_field = "#login-password-input"',
    "GITHUB_TOKEN: ${{ github.token }}", "api_key = args.api_key or prompt_for_key()",
    "client_secret: ((client-secret))", "PASSWORD=%DB_PASSWORD%",
    "secret: $(SECRET_FROM_PIPELINE)", "token = request.headers.get('Authorization')",
]
for line in LOOKUPS:
    neg("lookup", line + "\n", "app/settings.py")
    neg("lookup", "# load at run time\n" + line + "\n", "deploy/config.yaml")

for _ in range(12):
    sha1, sha256, md5 = R(rng, "H", 40), R(rng, "H", 64), R(rng, "H", 32)
    neg("digest", "commit %s\nAuthor: Dev <dev@example.com>\n" % sha1, "CHANGES.txt")
    neg("digest", "%s  gatekeeper-1.2.0.tar.gz\n" % sha256, "SHA256SUMS")
    neg("digest", '{"etag": "%s", "revision": "%s"}\n' % (md5, sha1), "cache.json")
    neg("digest", "checksum: sha256:%s\n" % sha256, "image.yaml")
    neg("digest", "git checkout %s && make\n" % sha1, "build.sh")

for _ in range(12):
    u = tokens.uuid(rng)
    neg("uuid", '{"request_id": "%s", "status": "ok"}\n' % u, "log.json")
    neg("uuid", "tenant_id: %s\n" % u, "config/app.yaml")
    neg("uuid", "ProjectGuid = \"{%s}\"\n" % u.upper(), "app.sln")

for _ in range(12):
    sha512 = base64.b64encode(bytes(rng.randrange(256) for _ in range(64))).decode()
    sha1b = base64.b64encode(bytes(rng.randrange(256) for _ in range(20))).decode()
    neg("lockfile", '    "node_modules/left-pad": {\n      "version": "1.3.0",\n'
        '      "integrity": "sha512-%s"\n    },\n' % sha512, "package-lock.json")
    neg("lockfile", 'left-pad@^1.3.0:\n  version "1.3.0"\n  integrity sha1-%s\n' % sha1b, "yarn.lock")
    neg("lockfile", 'checksum = "%s"\n' % R(rng, "H", 64), "Cargo.lock")
    neg("lockfile", "golang.org/x/text v0.14.0 h1:%s\n"
        % base64.b64encode(bytes(rng.randrange(256) for _ in range(32))).decode(), "go.sum")
    neg("lockfile", '    {file = "pkg-1.0.tar.gz", hash = "sha256:%s"},\n' % R(rng, "H", 64),
        "poetry.lock")

for i in range(30):
    raw = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) + bytes(
        rng.randrange(256) for _ in range(rng.randrange(200, 1200)))
    data = base64.b64encode(raw).decode()
    if i % 3 == 0:
        neg("image", ".logo { background: url(data:image/png;base64,%s); }\n" % data, "site.css")
    elif i % 3 == 1:
        neg("image", '<img src="data:image/png;base64,%s" alt="logo">\n' % data, "index.html")
    else:
        neg("image", '{"icon": "%s"}\n' % data, "manifest.json")

MIN_NAMES = ["token", "apiKey", "secret", "password", "accessKey", "authToken"]
for i in range(30):
    ids = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(1, 3)))
           for _ in range(8)]
    nm = MIN_NAMES[i % len(MIN_NAMES)]
    neg("minified", "!function(%s,%s){var %s=%s.%s||{};%s.%s=%s.%s,%s.%s=function(){return %s}}"
        "(window,document);\n" % (ids[0], ids[1], ids[2], ids[0], nm, ids[2], nm, ids[1], nm,
                                  ids[3], nm, ids[4]), "dist/app.min.js")
    neg("minified", '__webpack_require__.p="/static/";var c={%s:"main.%s.js",%s:"vendor.%s.js"};\n'
        % (ids[5], R(rng, "H", 8), ids[6], R(rng, "H", 20)), "dist/runtime.js")

IDENTS = [
    "const githubTokenProvider = new GithubTokenProvider(config);",
    "stripeSecretKeyName = \"STRIPE_SECRET_KEY\"",
    "datadogApiKeySecretRef: datadog-api-key",
    "private final SlackWebhookUrlResolver slackWebhookUrlResolver;",
    "awsSecretAccessKeyParameterName: /prod/aws/secret",
    "def rotate_twilio_auth_token(client):",
    "let herokuApiKeyEnvVar = 'HEROKU_API_KEY';",
    "password_reset_token_ttl = timedelta(hours=2)",
    "tokenizer = AutoTokenizer.from_pretrained(model_name)",
    "secretManagerClient := secretmanager.NewClient(ctx)",
    "oktaApiTokenHeaderName = 'Authorization'",
    "sendgridApiKeyIsConfigured = bool(settings.SENDGRID_API_KEY)",
    "class OpenAIApiKeyValidator(BaseValidator):",
    "max_tokens: 4096",
    "discordBotTokenEnvironmentVariable: DISCORD_BOT_TOKEN",
]
for line in IDENTS:
    neg("identifier", line + "\n", "src/main.ts")
    neg("identifier", "    " + line + "\n", "lib/service.py")

PROSE = [
    "Please enter your password to continue.",
    "The password must be at least 12 characters long and contain a digit.",
    "Reset your API key from the account settings page.",
    "Never commit secrets: load the token from the environment instead.",
    "If you forgot your password, click the link in the email we sent you.",
    "The access token expires after one hour; use the refresh token to get a new one.",
    "Set the password for the admin user during the first start.",
    "Rotate every secret key at least once a year.",
    "password: the user's password, never stored in plain text",
    "token (string): the bearer token returned by /login",
    "Your Stripe secret key lives in the dashboard under Developers.",
    "To create a GitHub token, open Settings and choose Developer settings.",
    "An AWS access key consists of an access key id and a secret access key.",
    "The Slack bot token starts with a fixed prefix followed by numbers.",
    "Passwords are hashed with Argon2id before they are stored.",
]
for line in PROSE:
    neg("prose", line + "\n", "docs/guide.md")
    neg("prose", "    # " + line + "\n", "app/auth.py")


def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


print("# Generated by gen_corpus.py: fake values only, never real credentials.")
print("# label\tfamily-or-kind\tline\tpath\tcontent")
for label, fam, line, path, text in rows:
    print("%s\t%s\t%d\t%s\t%s" % (label, fam, line, path, esc(text)))
