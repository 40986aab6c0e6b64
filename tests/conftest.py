"""Shared test helpers."""

from __future__ import annotations

import pytest

from auditor.findings import Finding, Severity


@pytest.fixture
def make_finding():
    """Build a Finding with sensible defaults; keyword arguments override."""

    def build(**kw) -> Finding:
        base = dict(
            rule_id="express.sql.parameterize", category="sql-injection", severity=Severity.CRITICAL,
            cwe=["CWE-89"], path="src/app.js", line=3, column=5, end_line=3,
            message="SQL built from request data", snippet="pool.query(`SELECT ${id}`)",
        )
        base.update(kw)
        return Finding(**base)

    return build


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """Keep every test (and the auditor processes tests start) out of the user's cache."""
    import os

    os.environ.setdefault("AUDITOR_CACHE_DIR", str(tmp_path_factory.mktemp("auditor-cache")))
    yield
