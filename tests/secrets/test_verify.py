"""--verify against local servers that behave like each provider: live, revoked, unknown
(5xx, timeouts, odd answers), and each secret sent only to its own provider."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime

import pytest

from auditor.findings import Severity
from auditor.secrets.detect import scan_text
from auditor.secrets.verify.aws import AwsVerifier
from auditor.secrets.verify.runner import verify_matches
from auditor.secrets.verify.sigv4 import authorization_header, signing_key

from .fakekeys import FakeKeys
from .providers import FakeProvider, Request, bearer

K = FakeKeys(77)


def test_sigv4_matches_aws_test_vector_get_vanilla():
    # From AWS's published SigV4 test suite ("get-vanilla").
    header = authorization_header(
        access_key="AKIDEXAMPLE", secret="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", method="GET", path="/",
        query={}, headers={"host": "example.amazonaws.com", "x-amz-date": "20150830T123600Z"}, body=b"",
        amz_date="20150830T123600Z", region="us-east-1", service="service")
    assert header.endswith("Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")


def _aws_server(key_id: str, secret: str, live: bool) -> FakeProvider:
    """An STS look-alike that checks the SigV4 signature with the real algorithm."""

    def answer(req: Request) -> tuple[int, str]:
        auth = req.headers["authorization"]
        m = re.match(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/sts/aws4_request, "
                     r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$", auth)
        assert m and req.body == b"Action=GetCallerIdentity&Version=2011-06-15"
        if m.group(1) != key_id or not live:
            return 403, "<ErrorResponse><Error><Code>InvalidClientTokenId</Code></Error></ErrorResponse>"
        names = m.group(4).split(";")
        canonical = "\n".join(["POST", "/", "", "".join(f"{n}:{req.headers[n]}\n" for n in names), m.group(4),
                               hashlib.sha256(req.body).hexdigest()])
        amz_date = req.headers["x-amz-date"]
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, f"{m.group(2)}/{m.group(3)}/sts/aws4_request",
                             hashlib.sha256(canonical.encode()).hexdigest()])
        expected = hmac.new(signing_key(secret, m.group(2), m.group(3), "sts"), to_sign.encode(), hashlib.sha256).hexdigest()
        if expected != m.group(5):
            return 403, "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code></Error></ErrorResponse>"
        return 200, "<GetCallerIdentityResponse><Arn>arn:aws:iam::123456789012:user/x</Arn></GetCallerIdentityResponse>"

    return FakeProvider(credential_of=lambda r: "any", answers={"any": answer})


@pytest.mark.parametrize("live, expected", [(True, "live"), (False, "revoked")])
def test_aws_pair_verified_with_signed_sts_call(live, expected):
    key_id, secret = K.aws_key_id(), K.aws_secret()
    text = f'AWS_ACCESS_KEY_ID = "{key_id}"\nAWS_SECRET_ACCESS_KEY = "{secret}"\n'
    matches = scan_text("app.py", text)
    with _aws_server(key_id, secret, live) as sts:
        verify_matches(matches, env={"AUDITOR_AWS_API_URL": sts.url})
    assert [m.verified for m in matches] == [expected, expected]
    assert len(sts.requests) == 1  # the pair is one check
    assert sts.saw(key_id) and not sts.saw(secret)  # the secret signs, it is never sent
    assert matches[0].severity == (Severity.CRITICAL if live else Severity.MEDIUM)


def test_aws_wrong_secret_is_unknown_not_revoked():
    key_id = K.aws_key_id()
    with _aws_server(key_id, K.aws_secret(), True) as sts:
        status = AwsVerifier().check(__import__("httpx").Client(), sts.url, key_id, K.aws_secret(),
                                     now=datetime(2024, 5, 1, tzinfo=UTC))
    assert status == "unknown"


def test_aws_key_id_alone_is_not_checked():
    matches = scan_text("app.py", f'KEY = "{K.aws_key_id()}"\n')
    assert verify_matches(matches, env={"AUDITOR_AWS_API_URL": "http://127.0.0.1:9"}) == {"live": 0, "revoked": 0, "unknown": 0}
    assert matches[0].verified is None


BEARER_PROVIDERS = [
    ("github", "AUDITOR_GITHUB_API_URL", K.github_classic, "/user", bearer),
    ("stripe", "AUDITOR_STRIPE_API_URL", K.stripe_live, "/v1/balance", bearer),
    ("openai", "AUDITOR_OPENAI_API_URL", K.openai_project, "/v1/models", bearer),
    ("anthropic", "AUDITOR_ANTHROPIC_API_URL", K.anthropic, "/v1/models", lambda r: r.headers.get("x-api-key", "")),
    ("gitlab", "AUDITOR_GITLAB_API_URL", K.gitlab_pat, "/api/v4/user", lambda r: r.headers.get("private-token", "")),
    ("sendgrid", "AUDITOR_SENDGRID_API_URL", K.sendgrid, "/v3/scopes", bearer),
]


@pytest.mark.parametrize("provider, env_var, make, path, credential", BEARER_PROVIDERS, ids=[p[0] for p in BEARER_PROVIDERS])
def test_status_mapping_per_provider(provider, env_var, make, path, credential):
    live, revoked, broken = make(), make(), make()
    text = f'A = "{live}"\nB = "{revoked}"\nC = "{broken}"\n'
    matches = scan_text("keys.py", text)
    assert len(matches) == 3
    with FakeProvider(credential, {live: 200, revoked: 401, broken: 503}) as server:
        counts = verify_matches(matches, env={env_var: server.url})
    assert [m.verified for m in matches] == ["live", "revoked", "unknown"]
    assert counts == {"live": 1, "revoked": 1, "unknown": 1}
    assert {r.path for r in server.requests} == {path}
    assert matches[0].severity == Severity.CRITICAL and matches[2].severity == Severity.HIGH


def test_slack_reads_the_json_answer():
    live, dead, odd = K.slack_bot(), K.slack_bot(), K.slack_bot()
    answers = {
        live: lambda r: (200, '{"ok": true, "team": "acme"}'),
        dead: lambda r: (200, '{"ok": false, "error": "invalid_auth"}'),
        odd: lambda r: (200, '{"ok": false, "error": "ratelimited"}'),
    }
    matches = scan_text("bot.py", f'A = "{live}"\nB = "{dead}"\nC = "{odd}"\n')
    with FakeProvider(bearer, answers) as slack:
        verify_matches(matches, env={"AUDITOR_SLACK_API_URL": slack.url})
    assert [m.verified for m in matches] == ["live", "revoked", "unknown"]
    assert {(r.method, r.path) for r in slack.requests} == {("POST", "/auth.test")}


def test_timeout_is_unknown():
    token = K.github_classic()
    matches = scan_text("a.py", f'T = "{token}"\n')
    with FakeProvider(bearer, {token: 200}, delay=1.0) as server:
        verify_matches(matches, env={"AUDITOR_GITHUB_API_URL": server.url}, timeout=0.2)
    assert matches[0].verified == "unknown"


def test_unreachable_provider_is_unknown():
    matches = scan_text("a.py", f'T = "{K.github_classic()}"\n')
    verify_matches(matches, env={"AUDITOR_GITHUB_API_URL": "http://127.0.0.1:9"}, timeout=1.0)
    assert matches[0].verified == "unknown"


def test_each_secret_goes_only_to_its_own_provider():
    gh, stripe, slack_token = K.github_classic(), K.stripe_live(), K.slack_bot()
    text = f'GH = "{gh}"\nSTRIPE = "{stripe}"\nSLACK = "{slack_token}"\nDB_PASSWORD = "{K.password()}"\n'
    matches = scan_text("all.py", text)
    with FakeProvider(bearer, {gh: 200}) as g, FakeProvider(bearer, {stripe: 200}) as s, \
            FakeProvider(bearer, {slack_token: lambda r: (200, '{"ok": true}')}) as sl:
        verify_matches(matches, env={"AUDITOR_GITHUB_API_URL": g.url, "AUDITOR_STRIPE_API_URL": s.url,
                                     "AUDITOR_SLACK_API_URL": sl.url})
        assert g.saw(gh) and not g.saw(stripe) and not g.saw(slack_token)
        assert s.saw(stripe) and not s.saw(gh) and not s.saw(slack_token)
        assert sl.saw(slack_token) and not sl.saw(gh) and not sl.saw(stripe)
        assert len(g.requests) == len(s.requests) == len(sl.requests) == 1
    assert [m.verified for m in matches] == ["live", "live", "live", None]


def test_duplicates_are_checked_once_and_concurrency_is_bounded():
    tokens = [K.github_classic() for _ in range(12)]
    text = "".join(f'T{i} = "{t}"\nU{i} = "{t}"\n' for i, t in enumerate(tokens))
    matches = scan_text("many.py", text)
    with FakeProvider(bearer, {t: 200 for t in tokens}, delay=0.05) as server:
        verify_matches(matches, env={"AUDITOR_GITHUB_API_URL": server.url}, per_provider=3)
    assert len(server.requests) == 12
    assert all(m.verified == "live" for m in matches)
