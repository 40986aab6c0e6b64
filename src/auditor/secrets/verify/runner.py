"""Run the verifiers over a scan's matches: each distinct secret is checked once, at most
`workers` requests in flight and `per_provider` per provider, each with a timeout. Any
error becomes `unknown`. A match's severity follows the answer: live -> critical,
revoked -> medium (still reported: it is in the code and the history)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor

import httpx

from auditor.findings import Severity
from auditor.secrets.detect import SecretMatch
from auditor.secrets.verify.aws import AwsVerifier
from auditor.secrets.verify.bearer import (
    AnthropicVerifier,
    GitHubVerifier,
    GitLabVerifier,
    OpenAIVerifier,
    SendGridVerifier,
    StripeVerifier,
)
from auditor.secrets.verify.interface import LIVE, REVOKED, UNKNOWN, Verifier
from auditor.secrets.verify.slack import SlackVerifier

VERIFIERS: dict[str, Verifier] = {
    v.id: v for v in (AwsVerifier(), GitHubVerifier(), GitLabVerifier(), SlackVerifier(), StripeVerifier(),
                      OpenAIVerifier(), AnthropicVerifier(), SendGridVerifier())
}


def _job_key(match: SecretMatch) -> tuple[str, str, str | None] | None:
    """(verifier, secret, partner) for a match that can be checked, else None. AWS needs the
    pair: the job is keyed on the key id, with the paired secret as partner."""
    vid = match.pattern.verify
    if vid not in VERIFIERS:
        return None
    if vid == "aws":
        if match.partner is None:
            return None
        key_id, secret = (match, match.partner) if match.pattern.id.endswith("-id") else (match.partner, match)
        return vid, key_id.secret, secret.secret
    return vid, match.secret, None


def verify_matches(matches: Iterable[SecretMatch], *, timeout: float = 10.0, workers: int = 8,
                   per_provider: int = 4, env: Mapping[str, str] | None = None,
                   transport: httpx.BaseTransport | None = None) -> dict[str, int]:
    """Set `verified` (and severity) on every checkable match; return a count per status.
    Matches no verifier can check keep `verified = None` (not checked)."""
    jobs: dict[tuple[str, str, str | None], list[SecretMatch]] = {}
    for m in matches:
        key = _job_key(m)
        if key is not None:
            jobs.setdefault(key, []).append(m)
    counts = {LIVE: 0, REVOKED: 0, UNKNOWN: 0}
    if not jobs:
        return counts
    limits = {vid: threading.BoundedSemaphore(per_provider) for vid in VERIFIERS}
    urls = {vid: v.base_url(env) for vid, v in VERIFIERS.items()}

    with httpx.Client(timeout=timeout, follow_redirects=False, transport=transport,
                      headers={"User-Agent": "auditor-secrets-verify"}) as client:
        def run(key: tuple[str, str, str | None]) -> str:
            vid, secret, partner = key
            with limits[vid]:
                try:
                    return VERIFIERS[vid].check(client, urls[vid], secret, partner)
                except (httpx.HTTPError, OSError, ValueError):
                    return UNKNOWN

        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            results = dict(zip(jobs, pool.map(run, jobs), strict=True))

    for key, status in results.items():
        counts[status] += 1
        for m in jobs[key]:
            _apply(m, status)
            if key[0] == "aws" and m.partner is not None:
                _apply(m.partner, status)
    return counts


def _apply(match: SecretMatch, status: str) -> None:
    match.verified = status
    if status == LIVE:
        match.severity = Severity.CRITICAL
        match.reason = ""
    elif status == REVOKED:
        match.severity = min(match.severity, Severity.MEDIUM)
