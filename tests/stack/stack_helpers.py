"""Helpers shared by the stack tests (imported by name: tests/ has no packages)."""

from __future__ import annotations

import textwrap
from pathlib import Path


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    return root


def by_name(deps) -> dict:
    return {d.name: d for d in deps}
