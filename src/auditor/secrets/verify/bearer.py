"""Providers whose check is one authenticated GET (or POST) and a status code: GitHub,
GitLab, Stripe, OpenAI, Anthropic, SendGrid. One small class each; the endpoints are
the providers' cheapest read-only "who am I / list" calls."""

from __future__ import annotations

import httpx

from auditor.secrets.verify.interface import Verifier, by_status


class GitHubVerifier(Verifier):
    id = "github"
    env_var = "AUDITOR_GITHUB_API_URL"
    default_url = "https://api.github.com"

    def check(self, client: httpx.Client, base_url: str, secret: str, partner: str | None) -> str:
        response = client.get(f"{base_url}/user", headers={
            "Authorization": f"Bearer {secret}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        })
        return by_status(response)


class GitLabVerifier(Verifier):
    id = "gitlab"
    env_var = "AUDITOR_GITLAB_API_URL"
    default_url = "https://gitlab.com"

    def check(self, client: httpx.Client, base_url: str, secret: str, partner: str | None) -> str:
        return by_status(client.get(f"{base_url}/api/v4/user", headers={"PRIVATE-TOKEN": secret}))


class StripeVerifier(Verifier):
    id = "stripe"
    env_var = "AUDITOR_STRIPE_API_URL"
    default_url = "https://api.stripe.com"

    def check(self, client: httpx.Client, base_url: str, secret: str, partner: str | None) -> str:
        # A restricted key without balance access answers 403: it exists, but we only
        # claim `live` on a plain success.
        return by_status(client.get(f"{base_url}/v1/balance", headers={"Authorization": f"Bearer {secret}"}))


class OpenAIVerifier(Verifier):
    id = "openai"
    env_var = "AUDITOR_OPENAI_API_URL"
    default_url = "https://api.openai.com"

    def check(self, client: httpx.Client, base_url: str, secret: str, partner: str | None) -> str:
        return by_status(client.get(f"{base_url}/v1/models", headers={"Authorization": f"Bearer {secret}"}))


class AnthropicVerifier(Verifier):
    id = "anthropic"
    env_var = "AUDITOR_ANTHROPIC_API_URL"
    default_url = "https://api.anthropic.com"

    def check(self, client: httpx.Client, base_url: str, secret: str, partner: str | None) -> str:
        return by_status(client.get(f"{base_url}/v1/models", headers={
            "x-api-key": secret,
            "anthropic-version": "2023-06-01",
        }))


class SendGridVerifier(Verifier):
    id = "sendgrid"
    env_var = "AUDITOR_SENDGRID_API_URL"
    default_url = "https://api.sendgrid.com"

    def check(self, client: httpx.Client, base_url: str, secret: str, partner: str | None) -> str:
        return by_status(client.get(f"{base_url}/v3/scopes", headers={"Authorization": f"Bearer {secret}"}))
