"""Shared helpers for the Python scanner tests: a Scanner over the Python rules only, so
these tests do not depend on other areas' rule files."""

from __future__ import annotations

from functools import lru_cache

from auditor.kb.load import load_rules_from, rules_dir
from auditor.kb.model import Rule
from auditor.scan.engine import Scanner
from auditor.stack.model import StackComponent, SubProject


@lru_cache(maxsize=1)
def python_rules() -> tuple[Rule, ...]:
    return load_rules_from(rules_dir() / "python")


@lru_cache(maxsize=1)
def scanner() -> Scanner:
    return Scanner(rules=python_rules(), secrets=False)


def project(*ids: str, kind: str = "library") -> SubProject:
    p = SubProject(path=".")
    for cid in ids:
        p.add(StackComponent(cid, "framework" if cid in ("django", "flask", "fastapi") else kind))
    return p


def scan(code: str, path: str = "app.py", stack: SubProject | None = None) -> list:
    return [f for f in scanner().scan_source(path, code, project=stack) if not f.suppressed]
