"""What a verifier is. Each provider module defines one Verifier subclass.

A verifier talks only to its own provider's base URL (from configuration, see
`base_url`), so a secret is never sent anywhere but to the service that issued it.
Results are `live`, `revoked` or `unknown`; a failed check (timeout, 5xx, rate limit,
unexpected answer) is `unknown`, never a reassuring answer."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Mapping

import httpx

LIVE = "live"
REVOKED = "revoked"
UNKNOWN = "unknown"


class Verifier(ABC):
    """`id` matches `verify:` in patterns.yaml; `env_var` overrides `default_url`."""

    id: str
    env_var: str
    default_url: str

    def base_url(self, env: Mapping[str, str] | None = None) -> str:
        """The provider's API root: the `AUDITOR_<PROVIDER>_API_URL` variable when set
        (tests point it at a local server), else the real provider."""
        env = os.environ if env is None else env
        return (env.get(self.env_var) or self.default_url).rstrip("/")

    @abstractmethod
    def check(self, client: httpx.Client, base_url: str, secret: str, partner: str | None) -> str:
        """Ask the provider about `secret` (`partner` is the paired value when the
        provider needs two, e.g. the AWS secret for a key id). May raise httpx errors:
        the runner turns them into `unknown`."""


def by_status(response: httpx.Response, live: frozenset[int] = frozenset({200}),
              revoked: frozenset[int] = frozenset({401})) -> str:
    """The common mapping: 200 live, 401 revoked, anything else (403, 429, 5xx) unknown."""
    if response.status_code in live:
        return LIVE
    if response.status_code in revoked:
        return REVOKED
    return UNKNOWN
