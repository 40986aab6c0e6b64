"""Stored generations from a JSONL file: one object per line with task, condition, model,
sample and reply (optional input_tokens, output_tokens). Re-judges earlier runs, or runs made
by other tools, without calling any model."""

from __future__ import annotations

import json
from pathlib import Path

from auditor.bench.providers.interface import Completion, GenerationRequest, Provider, ProviderError
from auditor.errors import AuditorError
from auditor.fsutil import UnreadableFile, read_text_strict

REPLAY_LIMIT = 200_000_000  # stored generations for a large run are tens of MB


class ReplayProvider(Provider):
    name = "replay"

    def __init__(self, path: Path) -> None:
        self.replies: dict[tuple[str, str, str, int], Completion] = {}
        try:
            lines = read_text_strict(path, REPLAY_LIMIT).splitlines()
        except UnreadableFile as exc:
            raise AuditorError(f"{path}: {exc}") from None
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                key = (str(row["task"]), str(row["condition"]), str(row["model"]), int(row["sample"]))
                reply = str(row["reply"])
            except (ValueError, KeyError, TypeError):
                raise AuditorError(f"{path}:{n}: expected a JSON object with task, condition, model, "
                                   "sample and reply") from None
            self.replies[key] = Completion(reply, int(row.get("input_tokens") or 0), int(row.get("output_tokens") or 0))

    def complete(self, request: GenerationRequest) -> Completion:
        key = (request.task, request.condition, request.model, request.sample)
        if key not in self.replies:
            raise ProviderError(f"replay: no stored reply for {request.task} / {request.condition} / "
                                f"{request.model} / sample {request.sample}")
        return self.replies[key]
