"""What every provider implements: turn one generation request into a completion."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class GenerationRequest:
    """One (task, condition, model, sample) to generate, with its prompts."""

    task: str
    condition: str
    model: str
    sample: int
    system: str
    user: str
    prompt_hash: str
    temperature: float = 0.7
    max_tokens: int = 4096


@dataclass(frozen=True)
class Completion:
    text: str
    input_tokens: int = 0
    output_tokens: int = 0


class ProviderError(Exception):
    """A request that failed; `retryable` ones (rate limits, 5xx, timeouts) are tried again."""

    def __init__(self, message: str, retryable: bool = False, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


class Provider(ABC):
    name: str

    @abstractmethod
    def complete(self, request: GenerationRequest) -> Completion:
        """One completion; raises ProviderError."""

    def close(self) -> None:  # noqa: B027 (optional hook: only HTTP providers hold connections)
        """Release connections."""
