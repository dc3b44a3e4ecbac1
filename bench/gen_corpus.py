#!/usr/bin/env python3
"""Deterministic corpus for the secret-scanning benchmark.

Writes OUT/tree/ (a tree of source files in several languages, JSON, YAML,
logs, minified JavaScript, lockfiles, Markdown and CSS with inline images,
PEM files) and OUT/MANIFEST.tsv, one line per planted secret or decoy:

    path  line  end_line  class  kind  family

path is relative to OUT/tree; line..end_line (1-based) are the lines the
planted text occupies; class is 'secret' (a scanner should report it) or
'decoy' (a scanner should not); kind names the format (github-pat,
aws-example-key, ...); family is the rules/secrets/*.yaml file whose rules
should report a secret, or that a decoy imitates.

Every secret is fake: random characters in the provider's documented
format.  The same --seed and --size give byte-identical output.

    usage: gen_corpus.py [--size MB] [--seed N] [--out DIR]
"""
import argparse
import base64
import os
import random
import shutil
import string
import subprocess
import sys

ALNUM = string.ascii_letters + string.digits
UPPER_B32 = string.ascii_uppercase + "234567"
HEX = "0123456789abcdef"
B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"

WORDS = """account action active address admin agent alert amount archive
asset audit backup balance batch billing block branch bucket buffer build
cache campaign cart channel chart check client cluster column comment commit
config connection consumer contact container content context counter country
coupon credit cursor customer dashboard data database date deadline default
delivery deploy device digest domain draft driver email endpoint engine entry
event export feature field filter folder format frame gateway graph group
handler header health history host image import index invoice item job key
label layer layout ledger level limit link listener loader locale lock log
manager mapping market member message meta metric mode model module monitor
node note notice offset order owner package page panel parser partner patch
payload payment peer period permission pipeline plan player policy pool port
post preview price printer process product profile project provider proxy
query queue quota range rate reader record region registry release report
request resource response result retry revision role route rule runner sample
schedule schema scope score search section segment sender server service
session setting shard shipment signal snapshot source space stage state status
step storage store stream subject summary supplier table tag target task team
template tenant text thread ticket timer topic total trace tracker transfer
trigger upload usage user value vendor version view volume warehouse widget
window worker workflow zone""".split()

VERBS = """get set load save fetch update create delete build parse render
validate compute resolve apply handle process send receive open close read
write sync merge split format convert check find list register attach
detach start stop reset refresh init flush encode decode""".split()

HOSTS = ["db.internal", "pg-primary.svc.cluster.local", "10.0.3.17",
         "mongo-0.mongo", "cache.example.net", "mq.internal", "localhost"]


class Gen:
    """One random stream; every method draws from it in a fixed order."""

    def __init__(self, seed):
        self.r = random.Random(seed)

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def s(self, alphabet, n):
        return "".join(self.r.choices(alphabet, k=n))

    def hexs(self, n):
        return self.r.randbytes((n + 1) // 2).hex()[:n]

    def b64(self, nbytes):
        return base64.b64encode(self.r.randbytes(nbytes)).decode()

    def uuid(self):
        h = self.hexs(32)
        return "%s-%s-4%s-%s-%s" % (h[:8], h[8:12], h[13:16], h[16:20],
                                    h[20:])

    def num(self, hi=10000):
        return self.r.randrange(hi)

    def snake(self, n=2):
        return "_".join(self.pick(WORDS) for _ in range(n))

    def camel(self, n=2):
        w = [self.pick(WORDS) for _ in range(n)]
        return w[0] + "".join(x.capitalize() for x in w[1:])

    def pascal(self, n=2):
        return "".join(self.pick(WORDS).capitalize() for _ in range(n))

    def sentence(self, lo=3, hi=10):
        return " ".join(self.pick(WORDS)
                        for _ in range(self.r.randint(lo, hi)))

    def ts(self):
        return "2024-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
            self.r.randint(1, 12), self.r.randint(1, 28),
            self.r.randrange(24), self.r.randrange(60),
            self.r.randrange(60), self.r.randrange(1000))

    def ip(self):
        return "10.%d.%d.%d" % (self.num(256), self.num(256), self.num(256))


# ---- background lines -------------------------------------------------------
# Each maker returns one line (no newline) of ordinary, secret-free text.
# Some mention credential words, as real code does, to exercise prefilters
# and the allowlists of generic rules.

def py_line(g):
    k = g.num(20)
    if k == 0:
        return "def %s_%s(%s, %s=None):" % (g.pick(VERBS), g.snake(1),
                                           g.snake(1), g.snake(1))
    if k == 1:
        return "class %s(%s):" % (g.pascal(2), g.pascal(1))
    if k == 2:
        return "    # %s" % g.sentence()
    if k == 3:
        return "from %s.%s import %s" % (g.snake(1), g.snake(1), g.pascal(2))
    if k == 4:
        return '    logger.info("%s %%s", %s)' % (g.sentence(2, 6), g.snake())
    if k == 5:
        return '    token = request.headers.get("Authorization", "")'
    if k == 6:
        return '    password = os.environ["%s_PASSWORD"]' % g.snake(1).upper()
    if k == 7:
        return "    self.secret_name = secret_name"
    if k == 8:
        return ""
    if k == 9:
        return "    if %s is None or %s > %d:" % (g.snake(), g.snake(1),
                                                g.num())
    if k == 10:
        return "        raise ValueError(\"%s\")" % g.sentence()
    if k == 11:
        return "    for %s in self.%s:" % (g.snake(1), g.snake())
    if k == 12:
        return "    api_key = settings.api_key"
    if k == 13:
        return '    cache_key = f"%s:{%s}"' % (g.snake(1), g.snake(1))
    return "    %s = self.%s_%s(%s, %d)" % (g.snake(), g.pick(VERBS),
                                          g.snake(1), g.snake(1), g.num())


def js_line(g):
    k = g.num(18)
    if k == 0:
        return "export function %s%s(%s, %s) {" % (
            g.pick(VERBS), g.pascal(1), g.camel(1), g.camel(1))
    if k == 1:
        return "import { %s } from './%s';" % (g.pascal(2), g.camel(1))
    if k == 2:
        return "  // %s" % g.sentence()
    if k == 3:
        return "  const %s = await %s.%s(%s);" % (g.camel(), g.camel(1),
                                                 g.pick(VERBS), g.camel(1))
    if k == 4:
        return "  const token = process.env.API_TOKEN;"
    if k == 5:
        return "  headers['Authorization'] = `Bearer ${token}`;"
    if k == 6:
        return "  if (!%s) return null;" % g.camel()
    if k == 7:
        return "}"
    if k == 8:
        return ""
    if k == 9:
        return "  this.secretKey = options.secretKey;"
    if k == 10:
        return "  %s.%s = %d;" % (g.camel(1), g.camel(), g.num())
    if k == 11:
        return "  throw new Error('%s');" % g.sentence()
    return "  %s(%s, '%s');" % (g.camel(), g.camel(1), g.sentence(1, 3))


def go_line(g):
    k = g.num(16)
    if k == 0:
        return "func (s *%s) %s%s(ctx context.Context, %s string) error {" % (
            g.pascal(1), g.pick(VERBS).capitalize(), g.pascal(1), g.camel(1))
    if k == 1:
        return "\t// %s" % g.sentence()
    if k == 2:
        return "\t%s, err := s.%s.%s(ctx, %s)" % (
            g.camel(1), g.camel(1), g.pick(VERBS).capitalize(), g.camel(1))
    if k == 3:
        return "\tif err != nil {"
    if k == 4:
        return '\t\treturn fmt.Errorf("%s: %%w", err)' % g.sentence(2, 5)
    if k == 5:
        return "\t}"
    if k == 6:
        return '\ttoken := os.Getenv("GITHUB_TOKEN")'
    if k == 7:
        return ""
    if k == 8:
        return "}"
    return "\t%s := %s(%s, %d)" % (g.camel(), g.camel(), g.camel(1), g.num())


def java_line(g):
    k = g.num(14)
    if k == 0:
        return "    public %s %s%s(%s %s) {" % (
            g.pascal(1), g.pick(VERBS), g.pascal(1), g.pascal(1), g.camel(1))
    if k == 1:
        return "        // %s" % g.sentence()
    if k == 2:
        return "        %s %s = %s.%s(%s);" % (
            g.pascal(1), g.camel(), g.camel(1), g.pick(VERBS), g.camel(1))
    if k == 3:
        return "    }"
    if k == 4:
        return ('        String password = config.getProperty("db.password");')
    if k == 5:
        return ""
    if k == 6:
        return "    private final %s %s;" % (g.pascal(2), g.camel(2))
    return "        %s.%s(%s, %dL);" % (g.camel(1), g.pick(VERBS), g.camel(),
                                       g.num())


def c_line(g):
    k = g.num(14)
    if k == 0:
        return "static int %s_%s(struct %s *%s, size_t %s)" % (
            g.snake(1), g.pick(VERBS), g.snake(1), g.snake(1)[:3],
            g.snake(1))
    if k == 1:
        return "\t/* %s */" % g.sentence()
    if k == 2:
        return "\t%s->%s = %s(%s, %d);" % (g.snake(1)[:3], g.snake(),
                                          g.snake(), g.snake(1), g.num())
    if k == 3:
        return "\tif (%s < 0)" % g.snake(1)
    if k == 4:
        return "\t\treturn -1;"
    if k == 5:
        return "}"
    if k == 6:
        return ""
    return "\tmemcpy(%s, %s, sizeof(%s));" % (g.snake(1), g.snake(1),
                                             g.snake(1))


def rb_line(g):
    k = g.num(10)
    if k == 0:
        return "  def %s_%s(%s)" % (g.pick(VERBS), g.snake(1), g.snake(1))
    if k == 1:
        return "    # %s" % g.sentence()
    if k == 2:
        return "  end"
    if k == 3:
        return "    @%s = %s.%s(%s)" % (g.snake(1), g.pascal(1), g.pick(VERBS),
                                       g.snake(1))
    if k == 4:
        return "    secret = Rails.application.credentials.secret_key_base"
    return "    %s.%s!(%s: %d)" % (g.snake(1), g.pick(VERBS), g.snake(1),
                                   g.num())


def log_line(g):
    k = g.num(10)
    lvl = g.pick(["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"])
    if k < 5:
        return '%s %s [worker-%d] %s /api/v1/%s/%d 200 %dms req_id=%s ip=%s' % (
            g.ts(), lvl, g.num(16), g.pick(["GET", "POST", "PUT"]),
            g.pick(WORDS), g.num(), g.num(900), g.uuid(), g.ip())
    if k == 5:
        return "%s %s [auth] token refreshed for user %d, expires_in=3600" % (
            g.ts(), lvl, g.num(99999))
    if k == 6:
        return "%s %s [git] checked out %s at commit %s" % (
            g.ts(), lvl, g.snake(1), g.hexs(40))
    if k == 7:
        return "%s %s [db] query took %dms: SELECT * FROM %s WHERE id = $1" % (
            g.ts(), lvl, g.num(3000), g.snake(1))
    if k == 8:
        return "%s %s [%s] %s" % (g.ts(), lvl, g.pick(WORDS), g.sentence())
    return "%s %s [session] password check failed for %s@%s.com" % (
        g.ts(), lvl, g.snake(1), g.pick(WORDS))


def yaml_chunk(g):
    k = g.num(4)
    name = g.snake(1).replace("_", "-")
    if k == 0:
        return ["apiVersion: apps/v1", "kind: Deployment", "metadata:",
                "  name: %s" % name, "  labels:", "    app: %s" % name,
                "spec:", "  replicas: %d" % g.r.randint(1, 5), "  template:",
                "    spec:", "      containers:",
                "        - name: %s" % name,
                "          image: registry.local/%s@sha256:%s" % (
                    name, g.hexs(64)),
                "          env:", "            - name: DB_PASSWORD",
                "              valueFrom:", "                secretKeyRef:",
                "                  name: %s-db" % name,
                "                  key: password", "---"]
    if k == 1:
        return ["%s:" % name, "  runs-on: ubuntu-latest", "  steps:",
                "    - uses: actions/checkout@%s" % g.hexs(40),
                "    - run: make %s" % g.pick(VERBS),
                "      env:",
                "        GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}",
                "    - uses: actions/cache@v4", "      with:",
                "        key: %s-${{ hashFiles('**/lockfile') }}" % name]
    if k == 2:
        return ["%s:" % g.snake(1), "  %s: %d" % (g.snake(1), g.num()),
                "  %s: %s" % (g.snake(1), g.sentence(1, 3)),
                "  enabled: %s" % g.pick(["true", "false"]),
                "  timeout: %ds" % g.num(120)]
    return ["# %s" % g.sentence(), "%s:" % g.snake(2),
            "  - %s" % g.pick(WORDS), "  - %s" % g.pick(WORDS)]


def json_chunk(g):
    return ["  {",
            '    "id": "%s",' % g.uuid(),
            '    "name": "%s",' % g.sentence(1, 3),
            '    "created_at": "%s",' % g.ts(),
            '    "sha": "%s",' % g.hexs(40),
            '    "count": %d,' % g.num(100000),
            '    "token_type": "bearer",',
            '    "tags": ["%s", "%s"],' % (g.pick(WORDS), g.pick(WORDS)),
            '    "url": "https://api.example.com/%s/%d",' % (g.pick(WORDS),
                                                            g.num()),
            '    "enabled": %s' % g.pick(["true", "false"]),
            "  },"]


def npm_lock_chunk(g):
    name = g.snake(1).replace("_", "-")
    ver = "%d.%d.%d" % (g.num(9), g.num(30), g.num(20))
    return ['    "node_modules/%s": {' % name,
            '      "version": "%s",' % ver,
            '      "resolved": "https://registry.npmjs.org/%s/-/%s-%s.tgz",' % (
                name, name, ver),
            '      "integrity": "sha512-%s",' % g.b64(64),
            '      "license": "MIT"',
            "    },"]


def yarn_lock_chunk(g):
    name = g.snake(1).replace("_", "-")
    ver = "%d.%d.%d" % (g.num(9), g.num(30), g.num(20))
    return ['"%s@^%s":' % (name, ver), '  version "%s"' % ver,
            '  resolved "https://registry.yarnpkg.com/%s/-/%s-%s.tgz#%s"' % (
                name, name, ver, g.hexs(40)),
            "  integrity sha512-%s" % g.b64(64), ""]


def gosum_chunk(g):
    mod = "github.com/%s/%s" % (g.snake(1), g.snake(1))
    ver = "v%d.%d.%d" % (g.num(3), g.num(30), g.num(20))
    return ["%s %s h1:%s" % (mod, ver, g.b64(32)),
            "%s %s/go.mod h1:%s" % (mod, ver, g.b64(32))]


def cargo_lock_chunk(g):
    return ["[[package]]", 'name = "%s"' % g.snake(1).replace("_", "-"),
            'version = "%d.%d.%d"' % (g.num(3), g.num(30), g.num(20)),
            'source = "registry+https://github.com/rust-lang/crates.io-index"',
            'checksum = "%s"' % g.hexs(64), ""]


def md_line(g):
    k = g.num(8)
    if k == 0:
        return "## %s" % g.sentence(2, 5).capitalize()
    if k == 1:
        return "![%s](data:image/png;base64,%s)" % (g.pick(WORDS),
                                                    g.b64(g.r.randint(300, 3000)))
    if k == 2:
        return "- `%s`: %s" % (g.snake(), g.sentence())
    if k == 3:
        return ""
    return g.sentence(8, 20).capitalize() + "."


def css_chunk(g):
    return [".%s-%s {" % (g.pick(WORDS), g.pick(WORDS)),
            "  background-image: url(\"data:image/png;base64,%s\");" % g.b64(
                g.r.randint(200, 4000)),
            "  margin: %dpx %dpx;" % (g.num(40), g.num(40)), "}"]


def minjs_piece(g):
    k = g.num(8)
    a, b = g.pick("abcdefghijklmnopqrstuvwxyz"), g.pick("etnroi")
    if k == 0:
        return "function %s(%s,%s){return %s.%s(%s)}" % (
            a, b, a, b, g.camel(1), a)
    if k == 1:
        return 'var %s=%s("%s");' % (a, b, g.sentence(1, 3))
    if k == 2:
        return '%s.headers.Authorization="Bearer "+%s.token;' % (a, b)
    if k == 3:
        return "if(!%s)throw new Error(\"%s\");" % (a, g.sentence(2, 4))
    if k == 4:
        return '%s.prototype.%s=function(%s){this.%s=%s};' % (
            g.pascal(1), g.camel(), b, g.camel(1), b)
    if k == 5:
        return "case %d:return %s+%d;" % (g.num(99), a, g.num())
    if k == 6:
        return '{key:"%s",value:function(){return this.%s}},' % (g.camel(),
                                                                 g.camel(1))
    return "%s=%s.%s(%s,%d)," % (a, b, g.camel(), a, g.num())


# ---- files ------------------------------------------------------------------

LANGS = {  # extension: (line maker, share of the 'source' bytes)
    "py": py_line, "js": js_line, "ts": js_line, "go": go_line,
    "java": java_line, "c": c_line, "rb": rb_line,
}

# kind: (share of bytes, min size, max size) -- sizes in bytes
KINDS = [
    ("source", 0.36, 1500, 40000),
    ("json", 0.13, 4000, 600000),
    ("yaml", 0.07, 800, 20000),
    ("log", 0.15, 500000, 6000000),
    ("minjs", 0.11, 80000, 1500000),
    ("lock", 0.10, 30000, 900000),
    ("md", 0.04, 2000, 60000),
    ("css", 0.02, 2000, 80000),
    ("env", 0.02, 200, 2000),
]


def pool(g, maker, n):
    return [maker(g) for _ in range(n)]


def chunk_pool(g, maker, n):
    return [maker(g) for _ in range(n)]


class Pools:
    def __init__(self, g):
        self.lines = {ext: pool(g, fn, 6000) for ext, fn in LANGS.items()}
        self.lines["log"] = pool(g, log_line, 20000)
        self.lines["md"] = pool(g, md_line, 3000)
        self.lines["env"] = ["%s=%s" % (g.snake(2).upper(), g.pick(
            ["true", "false", str(g.num()), g.pick(WORDS), "${%s}" %
             g.snake(1).upper()])) for _ in range(500)]
        self.lines["minjs"] = pool(g, minjs_piece, 8000)
        self.chunks = {
            "yaml": chunk_pool(g, yaml_chunk, 3000),
            "json": chunk_pool(g, json_chunk, 6000),
            "package-lock.json": chunk_pool(g, npm_lock_chunk, 6000),
            "yarn.lock": chunk_pool(g, yarn_lock_chunk, 6000),
            "go.sum": chunk_pool(g, gosum_chunk, 6000),
            "Cargo.lock": chunk_pool(g, cargo_lock_chunk, 6000),
            "css": chunk_pool(g, css_chunk, 1500),
        }


def fill_lines(g, items, target, chunked):
    """Draws lines (or chunks of lines) until about target bytes."""
    out, size = [], 0
    while size < target:
        batch = g.r.choices(items, k=64)
        for it in batch:
            if chunked:
                out.extend(it)
                size += sum(len(x) + 1 for x in it)
            else:
                out.append(it)
                size += len(it) + 1
            if size >= target:
                break
    return out


def minjs_lines(g, pools, target):
    """A bundle: a few very long lines."""
    lines, size = ["/*! %s v%d.%d.%d | MIT */" % (g.snake(1), g.num(9),
                                                   g.num(20), g.num(20))], 0
    while size < target:
        n = g.r.randint(2000, 12000)
        line = "".join(g.r.choices(pools.lines["minjs"], k=n))
        lines.append(line)
        size += len(line) + 1
    lines.append("//# sourceMappingURL=%s.js.map" % g.snake(1))
    return lines


# ---- planted secrets ----------------------------------------------------------
# Each maker returns (variable name, value).  Families are the rule files.

def sec_github_pat(g): return "GITHUB_TOKEN", "ghp_" + g.s(ALNUM, 36)
def sec_github_oauth(g): return "gh_oauth_token", "gho_" + g.s(ALNUM, 36)
def sec_github_app(g): return "installation_token", "ghs_" + g.s(ALNUM, 36)
def sec_github_fg(g):
    return "GH_PAT", "github_pat_%s_%s" % (g.s(ALNUM, 22), g.s(ALNUM, 59))
def sec_gitlab(g): return "GITLAB_TOKEN", "glpat-" + g.s(ALNUM + "_-", 20)
def sec_aws_id(g): return "AWS_ACCESS_KEY_ID", "AKIA" + g.s(UPPER_B32, 16)
def sec_aws_secret(g):
    return "aws_secret_access_key", g.s(ALNUM + "/+", 40)
def sec_slack_bot(g):
    return "SLACK_BOT_TOKEN", "xoxb-%d-%d-%s" % (
        g.r.randint(10**10, 10**11), g.r.randint(10**11, 10**12),
        g.s(ALNUM, 24))
def sec_slack_user(g):
    return "slack_user_token", "xoxp-%d-%d-%d-%s" % (
        g.r.randint(10**10, 10**11), g.r.randint(10**10, 10**11),
        g.r.randint(10**11, 10**12), g.hexs(32))
def sec_slack_hook(g):
    return "SLACK_WEBHOOK", "https://hooks.slack.com/services/T%s/B%s/%s" % (
        g.s(UPPER_B32, 8), g.s(UPPER_B32, 10), g.s(ALNUM, 24))
def sec_stripe(g): return "STRIPE_SECRET_KEY", "sk_live_" + g.s(ALNUM, 24)
def sec_stripe_rk(g): return "stripe_restricted", "rk_live_" + g.s(ALNUM, 24)
def sec_openai(g): return "OPENAI_API_KEY", "sk-proj-" + g.s(ALNUM + "_-", 48)
def sec_openai_legacy(g):
    return "openai_key", "sk-%sT3BlbkFJ%s" % (g.s(ALNUM, 20), g.s(ALNUM, 20))
def sec_anthropic(g):
    return "ANTHROPIC_API_KEY", "sk-ant-api03-%sAA" % g.s(ALNUM + "_-", 93)
def sec_hf(g): return "HF_TOKEN", "hf_" + g.s(ALNUM, 34)
def sec_google(g): return "GOOGLE_API_KEY", "AIza" + g.s(ALNUM + "_-", 35)
def sec_gocspx(g): return "client_secret", "GOCSPX-" + g.s(ALNUM + "_-", 28)
def sec_sendgrid(g):
    return "SENDGRID_API_KEY", "SG.%s.%s" % (g.s(ALNUM, 22), g.s(ALNUM, 43))
def sec_shopify(g): return "SHOPIFY_ACCESS_TOKEN", "shpat_" + g.hexs(32)
def sec_twilio(g): return "TWILIO_API_KEY", "SK" + g.hexs(32)
def sec_npm(g): return "NPM_TOKEN", "npm_" + g.s(ALNUM, 36)
def sec_pypi(g):
    return "PYPI_TOKEN", "pypi-AgEIcHlwaS5vcmc" + g.s(ALNUM + "_-", 60)
def sec_docker(g): return "DOCKERHUB_TOKEN", "dckr_pat_" + g.s(ALNUM + "_-", 27)
def sec_do(g): return "DIGITALOCEAN_TOKEN", "dop_v1_" + g.hexs(64)
def sec_heroku(g): return "HEROKU_API_KEY", "HRKU-" + g.s(ALNUM + "_-", 60)
def sec_telegram(g):
    return "TELEGRAM_BOT_TOKEN", "%d:%s" % (g.r.randint(10**8, 10**9),
                                            g.s(ALNUM + "_-", 35))
def sec_mailgun(g): return "MAILGUN_API_KEY", "key-" + g.hexs(32)
def sec_jwt(g):
    payload = base64.urlsafe_b64encode(
        ('{"sub":"%d","name":"%s","iat":%d}' % (
            g.num(10**6), g.snake(1), 1700000000 + g.num(10**7))
         ).encode()).decode().rstrip("=")
    return "access_token", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.%s.%s" % (
        payload, g.s(B64URL, 43))
def sec_azure_storage(g):
    return "AZURE_STORAGE_CONNECTION_STRING", (
        "DefaultEndpointsProtocol=https;AccountName=%s;AccountKey=%s==;"
        "EndpointSuffix=core.windows.net" % (g.snake(1).replace("_", ""),
                                            g.s(B64, 86)))
def sec_azure_ad(g):
    return "AZURE_CLIENT_SECRET", "%s%dQ~%s" % (
        g.s(ALNUM, 3), g.num(10), g.s(ALNUM + "_~.-", 31) + g.s(ALNUM, 1))
def sec_db_url(g):
    scheme = g.pick(["postgres", "postgresql", "mysql", "mongodb+srv",
                     "redis", "amqp"])
    return "DATABASE_URL", "%s://%s:%s@%s:5432/%s" % (
        scheme, g.snake(1), g.s(ALNUM, g.r.randint(14, 24)), g.pick(HOSTS),
        g.snake(1))
def sec_generic(g):
    return g.pick(["db_password", "admin_password", "api_secret",
                   "SERVICE_TOKEN", "smtp_passwd", "signing_secret"]), (
        g.s(ALNUM, 6) + g.pick("!@#%^&*") + g.s(ALNUM, g.r.randint(10, 20)))

# Single-line secrets: (kind, family, maker)
SECRETS = [
    ("github-pat", "github", sec_github_pat),
    ("github-oauth-token", "github", sec_github_oauth),
    ("github-app-token", "github", sec_github_app),
    ("github-fine-grained-pat", "github", sec_github_fg),
    ("gitlab-pat", "gitlab", sec_gitlab),
    ("aws-access-key-id", "aws", sec_aws_id),
    ("aws-secret-access-key", "aws", sec_aws_secret),
    ("slack-bot-token", "slack", sec_slack_bot),
    ("slack-user-token", "slack", sec_slack_user),
    ("slack-webhook-url", "slack", sec_slack_hook),
    ("stripe-live-secret-key", "stripe", sec_stripe),
    ("stripe-restricted-key", "stripe", sec_stripe_rk),
    ("openai-project-key", "ai", sec_openai),
    ("openai-legacy-key", "ai", sec_openai_legacy),
    ("anthropic-api-key", "ai", sec_anthropic),
    ("huggingface-token", "ai", sec_hf),
    ("google-api-key", "google", sec_google),
    ("google-oauth-client-secret", "google", sec_gocspx),
    ("sendgrid-api-key", "sendgrid", sec_sendgrid),
    ("shopify-access-token", "shopify", sec_shopify),
    ("twilio-api-key", "twilio", sec_twilio),
    ("npm-access-token", "packages", sec_npm),
    ("pypi-upload-token", "packages", sec_pypi),
    ("dockerhub-pat", "packages", sec_docker),
    ("digitalocean-pat", "hosting", sec_do),
    ("heroku-api-key-v2", "hosting", sec_heroku),
    ("telegram-bot-token", "messaging", sec_telegram),
    ("mailgun-api-key", "messaging", sec_mailgun),
    ("jwt", "jwt", sec_jwt),
    ("azure-storage-account-key", "azure", sec_azure_storage),
    ("azure-ad-client-secret", "azure", sec_azure_ad),
    ("database-url-password", "database", sec_db_url),
    ("generic-secret", "generic", sec_generic),
]

PEM_TYPES = [("private-key-rsa", "RSA PRIVATE KEY", 1190),
             ("private-key-ec", "EC PRIVATE KEY", 121),
             ("private-key-openssh", "OPENSSH PRIVATE KEY", 400),
             ("private-key-pkcs8", "PRIVATE KEY", 1218)]

# Decoys: (kind, family it imitates, maker) -> (name, value)
DECOYS = [
    ("aws-example-key-id", "aws",
     lambda g: ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")),
    ("aws-example-secret", "aws",
     lambda g: ("aws_secret_access_key",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
    ("masked-github-token", "github",
     lambda g: ("GITHUB_TOKEN", "ghp_" + "x" * 36)),
    ("masked-stripe-key", "stripe",
     lambda g: ("STRIPE_SECRET_KEY", "sk_live_" + "X" * 24)),
    ("stripe-publishable-key", "stripe",
     lambda g: ("STRIPE_PUBLISHABLE_KEY", "pk_live_" + g.s(ALNUM, 24))),
    ("placeholder-password", "generic",
     lambda g: ("password", g.pick(["changeme", "<your-password>",
                                    "CHANGE_ME", "********", "password"]))),
    ("placeholder-api-key", "generic",
     lambda g: ("api_key", g.pick(["YOUR_API_KEY_HERE", "<api-key>",
                                   "your-api-key", "xxxxxxxxxxxxxxxx"]))),
    ("env-reference", "generic",
     lambda g: ("secret_token", g.pick(["${SECRET_TOKEN}", "$SECRET_TOKEN",
                                        "{{ .Values.token }}",
                                        "process.env.SECRET_TOKEN"]))),
    ("template-db-url", "database",
     lambda g: ("DATABASE_URL", "postgres://app:${DB_PASSWORD}@%s:5432/app"
                % g.pick(HOSTS))),
    ("git-sha", "generic",
     lambda g: ("cache_key", g.hexs(40))),
    ("uuid", "generic",
     lambda g: ("idempotency_key", g.uuid())),
    ("sha256-digest", "generic",
     lambda g: ("checksum_sha256", g.hexs(64))),
    ("integrity-hash", "generic",
     lambda g: ("integrity", "sha512-" + g.b64(64))),
    ("file-path", "generic",
     lambda g: ("secret_file", "/etc/%s/%s.key" % (g.snake(1), g.snake(1)))),
    ("base64-image", "generic",
     lambda g: ("avatar", "data:image/png;base64," + g.b64(g.r.randint(200,
                                                                      1500)))),
]


def render(g, ext, name, value):
    """The planted line for a file of type ext."""
    if ext in ("py",):
        return '%s = "%s"' % (name, value)
    if ext == "rb":
        return '  %s = "%s"' % (name, value)
    if ext in ("js", "ts"):
        return 'const %s = "%s";' % (name, value)
    if ext == "go":
        return '\t%s := "%s"' % (name, value)
    if ext == "java":
        return '    private static final String %s = "%s";' % (name.upper(),
                                                               value)
    if ext == "c":
        return 'static const char *%s = "%s";' % (name.lower(), value)
    if ext == "json":
        return '    "%s": "%s",' % (name, value)
    if ext == "yaml":
        return '  %s: "%s"' % (name, value)
    if ext == "log":
        return "%s WARN [config] loaded %s=%s from environment" % (
            g.ts(), name, value)
    if ext == "md":
        return "    export %s=%s" % (name, value)
    return "%s=%s" % (name, value)  # env


def pem_block(g, label, nbytes):
    body = g.b64(nbytes)
    lines = ["-----BEGIN %s-----" % label]
    lines += [body[i:i + 64] for i in range(0, len(body), 64)]
    lines.append("-----END %s-----" % label)
    return lines


def gcp_sa_file(g):
    key = pem_block(g, "PRIVATE KEY", 1218)
    return ["{", '  "type": "service_account",',
            '  "project_id": "%s-%d",' % (g.snake(1).replace("_", "-"),
                                           g.num(1000)),
            '  "private_key_id": "%s",' % g.hexs(40),
            '  "private_key": "%s\\n",' % "\\n".join(key),
            '  "client_email": "%s@%s.iam.gserviceaccount.com",' % (
                g.snake(1).replace("_", "-"), g.snake(1).replace("_", "-")),
            '  "client_id": "%d"' % g.r.randint(10**20, 10**21), "}"]


# ---- layout -------------------------------------------------------------------

LOCKS = ["package-lock.json", "yarn.lock", "go.sum", "Cargo.lock"]


def plan_files(g, total):
    """[(relpath, kind, ext, size)] adding up to about total bytes."""
    files, seen = [], set()
    nproj = max(2, total // (25 << 20))
    for kind, share, lo, hi in KINDS:
        budget = int(total * share)
        while budget > 0:
            size = min(int(lo * (hi / lo) ** g.r.random()), max(budget, lo))
            proj = "project-%02d" % g.num(nproj)
            sub = g.pick(["src", "lib", "app", "pkg", "internal", "web",
                          "services/" + g.snake(1), "cmd/" + g.snake(1)])
            if kind == "source":
                ext = g.pick(list(LANGS))
                path = "%s/%s/%s.%s" % (proj, sub, g.snake(2), ext)
            elif kind == "lock":
                ext = g.pick(LOCKS)
                path = "%s/%s/%s" % (proj, g.snake(1), ext)
            elif kind == "minjs":
                ext = "minjs"
                path = "%s/dist/%s.%s.min.js" % (proj, g.snake(1), g.hexs(8))
            elif kind == "log":
                ext = "log"
                path = "%s/logs/%s-%d.log" % (proj, g.snake(1), g.num(999))
            elif kind == "env":
                ext = "env"
                path = "%s/%s/%s/%s.env" % (proj, g.pick(["config",
                                                           "deploy"]),
                                            g.snake(1),
                                            g.pick(["staging", "production",
                                                    "local", "ci"]))
            else:
                ext = kind
                path = "%s/%s/%s.%s" % (proj, g.pick(["docs", "config",
                                                       "data", "assets"]),
                                        g.snake(2), ext)
            if path in seen:
                continue
            seen.add(path)
            files.append([path, kind, ext, size])
            budget -= size
    g.r.shuffle(files)
    return files


def body_for(g, pools, kind, ext, size):
    if kind == "source" or ext in ("log", "md", "env"):
        return fill_lines(g, pools.lines[ext], size, False)
    if ext == "minjs":
        return minjs_lines(g, pools, size)
    if kind == "lock":
        lines = fill_lines(g, pools.chunks[ext], size, True)
        if ext == "package-lock.json":
            lines = ['{', '  "lockfileVersion": 3,', '  "packages": {'] + \
                lines + ['  }', '}']
        return lines
    if ext == "json":
        return ["["] + fill_lines(g, pools.chunks["json"], size, True) + ["]"]
    return fill_lines(g, pools.chunks[ext], size, True)


PLANTABLE = ("source", "json", "yaml", "log", "md", "env", "minjs")


def plant(g, lines, ext, items):
    """Inserts items [(class, kind, family, name, value)] into lines.
    Returns [(line, end_line, class, kind, family)] after insertion."""
    out_marks = []
    if ext == "minjs":
        free = list(range(1, len(lines) - 1))
        for cls, kind, fam, name, value in items:
            if not free:  # one plant per line, so findings map to one
                lines.insert(len(lines) - 1, "")
                free.append(len(lines) - 2)
            i = free.pop(g.r.randrange(len(free)))
            ln = lines[i]
            cut = ln.find(";", g.r.randrange(max(1, len(ln))))
            cut = cut + 1 if cut >= 0 else len(ln)
            lines[i] = '%svar %s="%s";%s' % (ln[:cut], name, value, ln[cut:])
            out_marks.append((i + 1, i + 1, cls, kind, fam))
        return lines, out_marks
    lo = 2 if ext == "json" else 0
    spots = sorted((g.r.randint(lo, max(lo, len(lines) - 2)), n)
                   for n, _ in enumerate(items))
    out, j = [], 0
    for i, line in enumerate(lines):
        while j < len(spots) and spots[j][0] == i:
            cls, kind, fam, name, value = items[spots[j][1]]
            out_marks.append((len(out) + 1, len(out) + 1, cls, kind, fam))
            out.append(render(g, ext, name, value))
            j += 1
        out.append(line)
    for _, n in spots[j:]:
        cls, kind, fam, name, value = items[n]
        out_marks.append((len(out) + 1, len(out) + 1, cls, kind, fam))
        out.append(render(g, ext, name, value))
    return out, out_marks


def write(tree, path, lines):
    full = os.path.join(tree, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="ascii", newline="\n") as f:
        f.write("\n".join(lines))
        f.write("\n")
    return sum(len(x) + 1 for x in lines)


def extra_files(g, nproj, count):
    """PEM files and service-account JSON: (path, lines, marks)."""
    out = []
    for n in range(count):
        proj = "project-%02d" % g.num(nproj)
        if n % 5 == 4:
            lines = gcp_sa_file(g)
            out.append(("%s/credentials/%s-sa-%d.json" % (
                proj, g.snake(1), n), lines,
                [(1, len(lines), "secret", "gcp-service-account", "google")]))
            continue
        kind, label, nbytes = PEM_TYPES[n % len(PEM_TYPES)]
        lines = pem_block(g, label, nbytes)
        name = g.pick(["id_rsa", "server.key", "deploy.pem", "tls.key",
                       "signing.pem"])
        out.append(("%s/deploy/keys-%d/%s" % (proj, n, name), lines,
                    [(1, len(lines), "secret", kind, "private-keys")]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=500,
                    help="approximate size in MB (default 500)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus"))
    args = ap.parse_args()

    g = Gen(args.seed)
    total = args.size << 20
    tree = os.path.join(args.out, "tree")
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(tree)

    pools = Pools(g)
    files = plan_files(g, total)
    nsec = max(3 * len(SECRETS), args.size * 3)
    ndec = max(3 * len(DECOYS), args.size * 3)
    plants = {}
    candidates = [i for i, f in enumerate(files) if f[1] in PLANTABLE]
    for n in range(nsec + ndec):
        if n < nsec:
            kind, fam, maker = SECRETS[n % len(SECRETS)]
            cls = "secret"
        else:
            kind, fam, maker = DECOYS[(n - nsec) % len(DECOYS)]
            cls = "decoy"
        name, value = maker(g)
        plants.setdefault(g.pick(candidates), []).append(
            (cls, kind, fam, name, value))

    manifest, written = [], 0
    for i, (path, kind, ext, size) in enumerate(files):
        lines = body_for(g, pools, kind, ext, size)
        if i in plants:
            lines, marks = plant(g, lines, ext, plants[i])
            manifest += [(path,) + m for m in marks]
        written += write(tree, path, lines)

    nproj = max(2, total // (25 << 20))
    for path, lines, marks in extra_files(g, nproj, max(10, args.size // 5)):
        written += write(tree, path, lines)
        manifest += [(path,) + m for m in marks]

    manifest.sort()
    with open(os.path.join(args.out, "MANIFEST.tsv"), "w") as f:
        f.write("path\tline\tend_line\tclass\tkind\tfamily\n")
        for row in manifest:
            f.write("\t".join(str(x) for x in row) + "\n")

    # The tree is its own (empty) repository, so that scanners which list
    # files through git see every file although bench/corpus/ is ignored.
    subprocess.run(["git", "init", "-q", tree], check=True)
    nsecrets = sum(1 for m in manifest if m[3] == "secret")
    print("corpus: %d files, %d bytes, %d secrets, %d decoys in %s" % (
        len(files) + max(10, args.size // 5), written, nsecrets,
        len(manifest) - nsecrets, tree), file=sys.stderr)


if __name__ == "__main__":
    main()
