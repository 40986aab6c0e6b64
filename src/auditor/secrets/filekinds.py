"""What kind of file a path is, as far as secret detection cares.

The kind decides which detectors run (unquoted `KEY=value` settings only mean a literal in
config files), and the path decides context: lockfiles are skipped by name-based detectors,
tests, fixtures and examples lower a finding to low (reported, not silenced)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath

from auditor.filetypes import language_for

LOCKFILES: frozenset[str] = frozenset(
    {
        "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock",
        "poetry.lock", "pipfile.lock", "pdm.lock", "uv.lock", "gemfile.lock", "composer.lock",
        "cargo.lock", "go.sum", "gradle.lockfile", "packages.lock.json", "flake.lock",
    }
)
SHELL_SUFFIXES = frozenset({".sh", ".bash", ".zsh", ".ksh", ".fish"})
INI_SUFFIXES = frozenset({".ini", ".cfg", ".conf", ".toml", ".npmrc", ".pypirc", ".netrc", ".tfvars"})
INI_NAMES = frozenset({".npmrc", ".pypirc", ".netrc", ".pgpass", "credentials", "config"})
DOC_SUFFIXES = frozenset({".md", ".markdown", ".rst", ".txt", ".adoc", ".textile"})

# Directory names and file-name shapes that mark tests, fixtures and examples.
_CONTEXT_DIRS = frozenset(
    {
        "test", "tests", "testing", "spec", "specs", "__tests__", "__mocks__", "mocks", "mock",
        "fixture", "fixtures", "testdata", "test-data", "test_data", "example", "examples",
        "sample", "samples", "demo", "demos", "docs", "doc", "e2e", "cypress", "stubs",
    }
)
_CONTEXT_FILE = re.compile(
    r"(?:^test_|_test\.|\.test\.|\.spec\.|_spec\.|tests?\.[a-z]+$|Test\.java$|Tests\.java$|"
    r"\.example$|\.sample$|\.template$|\.dist$|\.tpl$|example|sample|fixture|mock)",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)  # called per finding for redaction: the same paths, over and over
def file_kind(path: str) -> str:
    """One of: lockfile, dotenv, properties, yaml, shell, ini, json, docs, code, other."""
    p = PurePosixPath(path)
    name = p.name.lower()
    if name in LOCKFILES or name.endswith(".lock"):
        return "lockfile"
    language = language_for(path)
    if language in ("dotenv", "properties", "yaml"):
        return language
    suffix = p.suffix.lower()
    if (suffix in SHELL_SUFFIXES or name in (".envrc", ".bashrc", ".zshrc", ".profile")
            or name == "dockerfile" or name.startswith("dockerfile.") or suffix == ".dockerfile"):
        return "shell"
    if suffix in INI_SUFFIXES or name in INI_NAMES:
        return "ini"
    if suffix == ".json":
        return "json"
    if suffix == ".txt" and (name.startswith("requirements") or name.startswith("constraints")):
        return "other"  # pip requirement files are not prose: a credential URL there is real
    if suffix in DOC_SUFFIXES:
        return "docs"
    if language is not None:
        return "code"
    return "other"


@lru_cache(maxsize=4096)
def is_test_or_example(path: str) -> bool:
    """True for tests, fixtures, examples and templates (`.env.example`): a key there is
    most often a fake, so its finding is lowered to low rather than dropped."""
    parts = path.lower().split("/")
    if any(part in _CONTEXT_DIRS for part in parts[:-1]):
        return True
    return bool(_CONTEXT_FILE.search(parts[-1]))
