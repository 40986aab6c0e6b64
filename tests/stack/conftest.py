"""Fixtures for stack tests: a tree writer and a parse context rooted in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
from stack_helpers import write_tree

from auditor.stack.ecosystems.base import ParseContext


@pytest.fixture
def tree(tmp_path: Path):
    """tree({"package.json": "..."}) -> the root, with dedented files written."""
    return lambda files: write_tree(tmp_path, files)


@pytest.fixture
def ctx(tmp_path: Path) -> ParseContext:
    return ParseContext(tmp_path)
