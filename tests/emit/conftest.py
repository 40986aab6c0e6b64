"""Fixtures for emit tests (builders live in emit_helpers)."""

from __future__ import annotations

import pytest
from emit_helpers import make_rule

from auditor.kb.model import Rule


@pytest.fixture
def many_rules() -> list[Rule]:
    """Enough long rules to overflow every budget."""
    out = []
    for i in range(120):
        sev = ("critical", "high", "medium", "low")[i % 4]
        out.append(make_rule(f"django.r{i:03d}", sev, frameworks=("django",), guidance=5, words=40))
    return out
