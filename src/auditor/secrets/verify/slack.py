"""Slack: `auth.test` answers HTTP 200 either way; the JSON `ok` and `error` fields say
whether the token works."""

from __future__ import annotations

import httpx

from auditor.secrets.verify.interface import LIVE, REVOKED, UNKNOWN, Verifier

# Errors that mean "this token does not authenticate" (Slack's auth.test documentation).
DEAD_TOKEN_ERRORS = frozenset({"invalid_auth", "token_revoked", "token_expired", "account_inactive", "not_authed"})


class SlackVerifier(Verifier):
    id = "slack"
    env_var = "AUDITOR_SLACK_API_URL"
    default_url = "https://slack.com/api"

    def check(self, client: httpx.Client, base_url: str, secret: str, partner: str | None) -> str:
        response = client.post(f"{base_url}/auth.test", headers={"Authorization": f"Bearer {secret}"})
        if response.status_code != 200:
            return UNKNOWN
        try:
            data = response.json()
        except ValueError:
            return UNKNOWN
        if not isinstance(data, dict):
            return UNKNOWN
        if data.get("ok") is True:
            return LIVE
        return REVOKED if data.get("error") in DEAD_TOKEN_ERRORS else UNKNOWN
