"""The user prompt (identical in every condition) and the prompt hash that keys the store."""

from __future__ import annotations

import hashlib
import json
import re

from auditor.bench.tasks import Task

LANGUAGE_BY_SUFFIX = {".py": "python", ".js": "javascript", ".jsx": "jsx", ".ts": "typescript", ".tsx": "tsx",
                      ".java": "java", ".rb": "ruby", ".json": "json", ".xml": "xml", ".html": "html",
                      ".properties": "properties", ".txt": "text", ".yaml": "yaml", ".yml": "yaml"}
REPLY_FORMAT = (
    "Reply with the complete content of every file you create or change, each in its own fenced code "
    "block whose info string is the language followed by the file's path, for example ```python app.py. "
    "Never leave out unchanged parts of a file you change. If a new package is needed, include the "
    "updated manifest."
)


def _language(path: str) -> str:
    suffix = "." + path.rsplit(".", 1)[-1] if "." in path else ""
    return LANGUAGE_BY_SUFFIX.get(suffix, "")


def user_prompt(task: Task) -> str:
    """The project's files, the request, and how to format the answer."""
    parts = ["You are working in this project. Its files:\n"]
    for path in sorted(task.scaffold):
        text = task.scaffold[path].rstrip("\n")
        fence = "`" * max(3, max((len(m) for m in re.findall("`+", text)), default=0) + 1)
        parts.append(f"{fence}{_language(path)} {path}\n{text}\n{fence}\n")
    parts.append(f"Task: {task.request}\n")
    parts.append(REPLY_FORMAT + "\n")
    return "\n".join(parts)


def prompt_hash(system: str, user: str, temperature: float, max_tokens: int) -> str:
    """Changes whenever anything sent to the model changes (rules text, scaffold, settings)."""
    payload = json.dumps([system, user, temperature, max_tokens], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
