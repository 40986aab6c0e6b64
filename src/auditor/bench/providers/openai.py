"""Any OpenAI-compatible chat completions endpoint: OpenAI, vLLM, Ollama, llama.cpp server,
LiteLLM and other gateways. Key: OPENAI_API_KEY (optional for local servers)."""

from __future__ import annotations

import os

from auditor.bench.providers.http import HttpSettings, JsonPoster
from auditor.bench.providers.interface import Completion, GenerationRequest, Provider, ProviderError

DEFAULT_BASE_URL = "https://api.openai.com/v1"
KEY_VARIABLE = "OPENAI_API_KEY"


class OpenAIProvider(Provider):
    name = "openai"

    def __init__(self, base_url: str | None, settings: HttpSettings) -> None:
        key = os.environ.get(KEY_VARIABLE, "")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.http = JsonPoster(base_url or DEFAULT_BASE_URL, headers, settings)

    def complete(self, request: GenerationRequest) -> Completion:
        messages = [{"role": "system", "content": request.system}] if request.system else []
        messages.append({"role": "user", "content": request.user})
        data = self.http.post("/chat/completions", {
            "model": request.model, "messages": messages,
            "temperature": request.temperature, "max_tokens": request.max_tokens,
        })
        try:
            text = data["choices"][0]["message"]["content"] or ""
        except (KeyError, IndexError, TypeError):
            raise ProviderError("chat/completions: answer has no choices[0].message.content") from None
        usage = data.get("usage") or {}
        return Completion(str(text), int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))

    def close(self) -> None:
        self.http.close()
