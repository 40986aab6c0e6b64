"""Anthropic's Messages API. Key: ANTHROPIC_API_KEY."""

from __future__ import annotations

import os

from auditor.bench.providers.http import HttpSettings, JsonPoster
from auditor.bench.providers.interface import Completion, GenerationRequest, Provider, ProviderError
from auditor.errors import AuditorError

DEFAULT_BASE_URL = "https://api.anthropic.com"
KEY_VARIABLE = "ANTHROPIC_API_KEY"
API_VERSION = "2023-06-01"


class AnthropicProvider(Provider):
    name = "anthropic"

    def __init__(self, base_url: str | None, settings: HttpSettings) -> None:
        key = os.environ.get(KEY_VARIABLE)
        if not key:
            raise AuditorError(f"--provider anthropic: set {KEY_VARIABLE} in the environment")
        headers = {"x-api-key": key, "anthropic-version": API_VERSION}
        self.http = JsonPoster(base_url or DEFAULT_BASE_URL, headers, settings)

    def complete(self, request: GenerationRequest) -> Completion:
        body: dict = {
            "model": request.model, "max_tokens": request.max_tokens, "temperature": request.temperature,
            "messages": [{"role": "user", "content": request.user}],
        }
        if request.system:
            body["system"] = request.system
        data = self.http.post("/v1/messages", body)
        blocks = data.get("content")
        if not isinstance(blocks, list):
            raise ProviderError("v1/messages: answer has no content list")
        text = "".join(b.get("text", "") for b in blocks if isinstance(b, dict) and b.get("type") == "text")
        usage = data.get("usage") or {}
        return Completion(text, int(usage.get("input_tokens") or 0), int(usage.get("output_tokens") or 0))

    def close(self) -> None:
        self.http.close()
