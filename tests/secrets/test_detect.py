"""Detection: every provider found in realistic code, decoys not reported at medium or
above, redaction everywhere, context-based severity."""

from __future__ import annotations

import pytest

from auditor.findings import Severity
from auditor.secrets.detect import find_secrets, scan_text
from auditor.secrets.validators import github_checksum_ok

from .fakekeys import FakeKeys

K = FakeKeys(31)
HEX32 = K.chars("0123456789abcdef", 32)

# (file name, text with one secret, the secret, expected detector id)
PLANTED = [
    ("app.py", 'AWS_ACCESS_KEY_ID = "{s}"\n', K.aws_key_id(), "aws-access-key-id"),
    ("settings.py", 'aws_secret_access_key = "{s}"\n', K.aws_secret(), "aws-secret-access-key"),
    ("client.js", 'const octokit = new Octokit({{ auth: "{s}" }});\n', K.github_classic(), "github-classic-pat"),
    ("gh.go", 'token := "{s}"\n', K.github_fine_grained(), "github-fine-grained-pat"),
    ("oauth.rb", 'TOKEN = "{s}"\n', K.github_oauth(), "github-oauth-token"),
    ("app.ts", 'const t: string = "{s}";\n', K.github_app(), "github-app-token"),
    (".gitlab-ci.yml", "variables:\n  GL_TOKEN: {s}\n", K.gitlab_pat(), "gitlab-pat"),
    ("bot.py", 'client = WebClient(token="{s}")\n', K.slack_bot(), "slack-bot-token"),
    ("user.php", "<?php\n$slack = '{s}';\n", K.slack_user(), "slack-user-token"),
    ("notify.go", 'const hook = "{s}"\n', K.slack_webhook(), "slack-webhook-url"),
    ("billing.rb", 'Stripe.api_key = "{s}"\n', K.stripe_live(), "stripe-secret-key"),
    ("Billing.java", 'Stripe.apiKey = "{s}";\n', K.stripe_restricted(), "stripe-restricted-key"),
    ("ai.py", 'client = OpenAI(api_key="{s}")\n', K.openai_project(), "openai-api-key"),
    ("legacy.js", "openai.apiKey = '{s}';\n", K.openai_legacy(), "openai-api-key"),
    ("claude.ts", "const anthropic = new Anthropic({{ apiKey: '{s}' }});\n", K.anthropic(), "anthropic-api-key"),
    ("maps.js", "const MAPS = '{s}';\n", K.google_api_key(), "google-api-key"),
    ("storage.py", 'CONN = "{s}"\n', K.azure_connection_string(), "azure-storage-account-key"),
    ("Auth.java", 'String clientSecret = "{s}";\n', K.azure_client_secret(), "azure-ad-client-secret"),
    ("sms.rb", "TWILIO_AUTH_TOKEN = '{s}'\n", HEX32, "twilio-auth-token"),
    ("sms.js", "const key = '{s}';\n", K.twilio_api_key(), "twilio-api-key"),
    ("mail.py", 'sg = SendGridAPIClient("{s}")\n', K.sendgrid(), "sendgrid-api-key"),
    ("mail.php", "<?php\n$mg = Mailgun::create('{s}');\n", K.mailgun(), "mailgun-api-key"),
    (".npmrc", "//registry.npmjs.org/:_authToken={s}\n", K.npm(), "npm-access-token"),
    (".pypirc", "[pypi]\nusername = __token__\npassword = {s}\n", K.pypi(), "pypi-upload-token"),
    ("bot.js", "client.login('{s}');\n", K.discord_bot(), "discord-bot-token"),
    ("tg.py", 'bot = telebot.TeleBot("{s}")\n', K.telegram_bot(), "telegram-bot-token"),
    ("auth.js", "const JWT_SECRET = '{s}';\n", K.jwt_secret(), "jwt-signing-secret"),
    ("token.js", "jwt.sign(payload, '{s}', {{ expiresIn: '1h' }});\n", "s3cure-Signing-k3y", "jwt-signing-secret-call"),
    ("db.py", 'engine = create_engine("{s}")\n', K.postgres_url(), "database-connection-string"),
    (".env", "API_KEY={s}\n", HEX32, "generic-secret"),
    ("application.properties", "spring.datasource.password={s}\n", K.password(), "generic-password"),
    ("config.yml", "auth:\n  client_secret: {s}\n", K.jwt_secret(), "generic-secret"),
    ("deploy.sh", "export API_TOKEN={s}\n", K.jwt_secret(), "generic-secret"),
    ("config.json", '{{"apiKey": "{s}"}}\n', K.jwt_secret(), "generic-secret"),
    ("server.go", 'password := "{s}"\n', K.password(), "generic-password"),
    ("Dockerfile", "FROM python:3.12\nENV API_KEY={s}\n", K.jwt_secret(), "generic-secret"),
    ("app.php", "<?php\nreturn ['key' => '{s}'];\n", "base64:" + K.jwt_secret() + "Qx9", "generic-key"),
    ("config.go", 'cfg := Config{{\n\tAPIKey: "{s}",\n}}\n', K.jwt_secret(), "generic-secret"),
]


@pytest.mark.parametrize("name, template, secret, detector", PLANTED, ids=[p[3] + ":" + p[0] for p in PLANTED])
def test_planted_secret_found_at_high_or_medium(name, template, secret, detector):
    text = template.format(s=secret)
    matches = scan_text(name, text)
    hits = [m for m in matches if secret in m.secret or m.secret in secret]
    assert hits, f"{detector} not found in {text!r}: {[(m.pattern.id, m.secret) for m in matches]}"
    assert hits[0].pattern.id == detector
    assert hits[0].severity >= Severity.MEDIUM


def test_private_keys_of_every_kind():
    for kind in ("RSA ", "EC ", "OPENSSH ", "", "DSA "):
        text = "x = 1\n" + K.rsa_private_key(kind) + "\n"
        (m,) = scan_text("deploy/key.pem", text)
        assert m.pattern.id == "private-key" and m.line == 2 and m.severity == Severity.HIGH
    pgp = ("-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n" + "\n".join(
        K.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 64) for _ in range(12))
        + "\n=ABCD\n-----END PGP PRIVATE KEY BLOCK-----\n")
    assert [m.pattern.id for m in scan_text("secring.asc", pgp)] == ["private-key"]


def test_service_account_json_reported_once_as_google():
    key = K.rsa_private_key("").replace("\n", "\\n")
    text = '{\n  "type": "service_account",\n  "private_key": "' + key + '\\n",\n  "client_email": "a@b.iam.gserviceaccount.com"\n}\n'
    assert [m.pattern.id for m in scan_text("sa.json", text)] == ["gcp-service-account"]


def test_aws_key_id_and_secret_are_paired():
    key_id, secret = K.aws_key_id(), K.aws_secret()
    text = f'creds = new BasicAWSCredentials("{key_id}", "{secret}");\n'
    a, b = scan_text("Main.java", text)
    assert {a.pattern.id, b.pattern.id} == {"aws-access-key-id", "aws-secret-access-key-unlabelled"}
    assert a.partner is b and b.partner is a
    # an unlabelled 40-char string with no key id near it is not an AWS secret
    assert scan_text("Main.java", f'String s = "{secret}";\n') == []


DECOYS = {
    "app.py": """
AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]
api_key = os.getenv("STRIPE_KEY")
token = "your-api-key-here"
password = "changeme"
secret = "xxxxxxxxxxxxxxxxxxxx"
auth_token = "<token>"
db_password = "${DB_PASSWORD}"
request_id = "123e4567-e89b-12d3-a456-426614174000"
api_key = "{{ api_key }}"
commit = "3f786850e387550fdab836ed7e6dc881de23001b"
SECRET_KEY = get_random_secret_key()
token_url = "https://oauth2.googleapis.com/token"
password_field = "password_confirmation"
sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
github = "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
stripe_pk = "pk_live_51H8xYzQbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
DATABASE_URL = "postgres://user:password@localhost:5432/app"
key = "sk-ant-api03-your-key-here"
cache_key = "user_profile_cache"
token_type = "Bearer"
auth_header = "Authorization"
field_order = ["old_password", "new_password1", "new_password2"]
MIGRATION = ("auth", "0002_alter_permission_name_max_length")
cache_key = "views.decorators.cache.cache_page.%s.%s.%s.%s" % (prefix, method, url, lang)
""",
    "config.js": """module.exports = {
  apiKey: process.env.API_KEY || '',
  secret: process.env.SECRET,
  password: 'YOUR_PASSWORD_HERE',
  token: '********',
  clientSecret: '<CLIENT_SECRET>',
  integrity: 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC',
};
""",
    "package-lock.json": '{"node_modules/x": {"integrity": "sha512-Q1x6kN2PMQEwR9cq1yU6oZQh0Vjg0Z8uXG7HhGn3eS9Y2x3QxJmJ0Uq7+RU0PZkcA5N4ZTm7Gf6nJm6UoA5Yg=="}}',
    "yarn.lock": 'x@^1.0.0:\n  resolved "https://registry.yarnpkg.com/x/-/x-1.0.0.tgz#3f786850e387550fdab836ed7e6dc881de23001b"\n  integrity sha512-AbC123dEf456GhI789jKl012MnO345pQr678StU901vWx234YzA567bCd890eFg==\n',
    ".env.example": "OPENAI_API_KEY=sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nDB_PASSWORD=\nSECRET_KEY=change-me\n",
    "crypto.py": 'if pem.startswith("-----BEGIN RSA PRIVATE KEY-----"):\n    pass\nKEY = """-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----"""\n',
    "application.yml": "spring:\n  datasource:\n    password: ${DB_PASSWORD}\n  security:\n    token: ${TOKEN:}\n",
    "index.html": '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">',
    "tests/fixtures/keys.py": f'STRIPE = "{K.stripe_live()}"\nGITHUB = "{K.github_classic()}"\n',
    "src/payments.test.ts": f"const key = '{K.stripe_live()}';\n",
    "docker-compose.yml": "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: postgres\n      REDIS_URL: redis://localhost:6379/0\n",
}


@pytest.mark.parametrize("name", sorted(DECOYS))
def test_decoys_not_reported_at_medium_or_above(name):
    loud = [(m.pattern.id, m.line) for m in scan_text(name, DECOYS[name]) if m.severity >= Severity.MEDIUM]
    assert loud == []


def test_test_fixtures_are_reported_low_not_silenced():
    matches = scan_text("tests/fixtures/keys.py", DECOYS["tests/fixtures/keys.py"])
    assert [m.severity for m in matches] == [Severity.LOW, Severity.LOW]
    assert "test" in matches[0].reason


def test_github_checksum():
    good = K.github_classic()
    assert github_checksum_ok(good)
    bad = good[:-1] + ("A" if good[-1] != "A" else "B")
    assert not github_checksum_ok(bad)
    (m,) = scan_text("app.py", f'TOKEN = "{bad}"\n')
    assert m.severity == Severity.LOW and "checksum" in m.reason
    assert github_checksum_ok(K.npm())


def test_generic_name_must_end_in_the_secret_word():
    value = K.jwt_secret()
    assert scan_text("a.py", f'token_endpoint = "{value}"\n') == []
    assert scan_text("a.py", f'bypass = "{value}"\n') == []
    assert [m.pattern.id for m in scan_text("a.py", f'dbPass = "{value}"\n')] == ["generic-password"]
    assert [m.pattern.id for m in scan_text("a.py", f'api_key: str = "{value}"\n')] == ["generic-secret"]
    assert [m.pattern.id for m in scan_text("a.php", f"<?php define('API_SECRET', '{value}');\n")] == ["generic-secret"]


def test_unquoted_values_only_count_in_config_files():
    value = K.jwt_secret()
    assert scan_text("app.py", f"API_TOKEN = {value}\n") == []
    assert [m.pattern.id for m in scan_text(".env.production", f"API_TOKEN={value}\n")] == ["generic-secret"]


def test_findings_are_redacted_everywhere():
    secret = K.stripe_live()
    text = f'import stripe\nstripe.api_key = "{secret}"  # prod\n'
    (f,) = find_secrets("billing.py", text)
    blob = repr(f.to_dict()) + f.fingerprint
    assert secret not in blob and secret[2:-2] not in blob
    assert f.snippet == f'stripe.api_key = "s****{secret[-1]}"  # prod'
    assert f"({secret[0]}****{secret[-1]})" in f.message
    assert (f.line, f.column, f.extra) == (2, 19, {"secret_type": "stripe-secret-key", "verified": None})
    assert f.category == "hardcoded-secret" and f.rule_id == "secrets.payments.stripe"


def test_two_secrets_on_one_line_are_both_redacted_in_each_snippet():
    a, b = K.github_classic(), K.slack_bot()
    text = f'TOKENS = ["{a}", "{b}"]\n'
    findings = find_secrets("x.py", text)
    assert len(findings) == 2
    for f in findings:
        assert a not in f.snippet and b not in f.snippet


def test_private_key_body_not_in_snippet_or_message():
    key = K.rsa_private_key()
    body_line = key.splitlines()[3]
    (f,) = find_secrets("k.py", f'KEY = """{key}"""\n')
    assert body_line not in f.snippet + f.message
    one_line = key.replace("\n", "\\n")
    (g,) = find_secrets("k.js", f'const KEY = "{one_line}";\n')
    assert body_line not in g.snippet + g.message and "BEGIN RSA PRIVATE KEY" in g.snippet


def test_fingerprint_stable_when_lines_move_and_independent_of_the_secret_body():
    s = K.github_classic()
    (f1,) = find_secrets("a.py", f'T = "{s}"\n')
    (f2,) = find_secrets("a.py", f'import os\n\n\nT = "{s}"\n')
    assert f1.fingerprint == f2.fingerprint


def test_empty_and_binary_like_text():
    assert find_secrets("a.py", "") == []
    assert find_secrets("blob.bin", "\x00" * 100) == []
