"""Shared test helpers."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

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


def load_bench_script(script: Path, name: str) -> types.ModuleType:
    """Load a bench script (bench/<corpus>/eval.py) as a module. The script imports bench.* from
    the repo's bench/ (a namespace package), which tests/bench (a regular package) shadows under
    pytest: `bench` points at the repo's directory while the script loads, then things are put
    back. The shared bench.app_corpus the script loaded is kept as the module's `corpus`."""
    saved = {k: v for k, v in sys.modules.items() if k == "bench" or k.startswith("bench.")}
    for k in saved:
        del sys.modules[k]
    ns = types.ModuleType("bench")
    ns.__path__ = [str(script.parents[1])]
    sys.modules["bench"] = ns
    try:
        spec = importlib.util.spec_from_file_location(name, script)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        module.corpus = sys.modules.get("bench.app_corpus")
    finally:
        for k in [k for k in sys.modules if k == "bench" or k.startswith("bench.")]:
            del sys.modules[k]
        sys.modules.update(saved)
    return module
