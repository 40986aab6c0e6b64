"""One parser module per ecosystem, and which file names each one reads.

Parsers are imported when a file of theirs is met, so detecting a Node project never loads
the XML or TOML code.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from auditor.stack.ecosystems.base import LOCKFILE_LIMIT, MANIFEST_LIMIT, ParseContext, ParsedFile

Parser = Callable[[str, str, ParseContext], ParsedFile]


@dataclass(frozen=True)
class FileKind:
    """How to read one kind of file: its ecosystem, whether it is a manifest (declares
    direct dependencies, makes a sub-project) or a lockfile (pins versions), and the parser
    as "module:function" under this package."""

    ecosystem: str
    role: str  # "manifest" | "lock"
    parser: str

    @property
    def limit(self) -> int:
        return LOCKFILE_LIMIT if self.role == "lock" else MANIFEST_LIMIT

    def load(self) -> Parser:
        module, func = self.parser.split(":")
        return getattr(importlib.import_module(f"auditor.stack.ecosystems.{module}"), func)


BY_NAME: dict[str, FileKind] = {
    "package.json": FileKind("npm", "manifest", "npm:parse_package_json"),
    "package-lock.json": FileKind("npm", "lock", "npm:parse_package_lock"),
    "npm-shrinkwrap.json": FileKind("npm", "lock", "npm:parse_package_lock"),
    "yarn.lock": FileKind("npm", "lock", "npm:parse_yarn_lock"),
    "pnpm-lock.yaml": FileKind("npm", "lock", "npm:parse_pnpm_lock"),
    "pyproject.toml": FileKind("pypi", "manifest", "python:parse_pyproject"),
    "Pipfile": FileKind("pypi", "manifest", "python:parse_pipfile"),
    "Pipfile.lock": FileKind("pypi", "lock", "python:parse_pipfile_lock"),
    "setup.cfg": FileKind("pypi", "manifest", "python:parse_setup_cfg"),
    "poetry.lock": FileKind("pypi", "lock", "python:parse_python_lock"),
    "uv.lock": FileKind("pypi", "lock", "python:parse_python_lock"),
    "pdm.lock": FileKind("pypi", "lock", "python:parse_python_lock"),
    "pom.xml": FileKind("maven", "manifest", "maven:parse_pom"),
    "build.gradle": FileKind("maven", "manifest", "gradle:parse_gradle"),
    "build.gradle.kts": FileKind("maven", "manifest", "gradle:parse_gradle"),
    "Gemfile": FileKind("rubygems", "manifest", "ruby:parse_gemfile"),
    "gems.rb": FileKind("rubygems", "manifest", "ruby:parse_gemfile"),
    "Gemfile.lock": FileKind("rubygems", "lock", "ruby:parse_gemfile_lock"),
    "gems.locked": FileKind("rubygems", "lock", "ruby:parse_gemfile_lock"),
    "go.mod": FileKind("go", "manifest", "go:parse_go_mod"),
    "composer.json": FileKind("packagist", "manifest", "php:parse_composer_json"),
    "composer.lock": FileKind("packagist", "lock", "php:parse_composer_lock"),
    "Cargo.toml": FileKind("crates.io", "manifest", "cargo:parse_cargo_toml"),
    "Cargo.lock": FileKind("crates.io", "lock", "cargo:parse_cargo_lock"),
    "packages.lock.json": FileKind("nuget", "lock", "dotnet:parse_packages_lock"),
}
REQUIREMENTS = FileKind("pypi", "manifest", "python:parse_requirements")
CSPROJ = FileKind("nuget", "manifest", "dotnet:parse_csproj")


def classify(rel: str) -> tuple[FileKind, str] | None:
    """(kind, directory of the sub-project it belongs to) for a manifest or lockfile path,
    None for any other file. Requirements files in a `requirements/` folder belong to the
    folder above it (the usual Django layout: requirements/base.txt, requirements/dev.txt)."""
    folder, _, name = rel.rpartition("/")
    kind = BY_NAME.get(name)
    if kind is not None:
        return kind, folder or "."
    if name.endswith(".txt") and ("requirements" in name or folder.rsplit("/", 1)[-1] == "requirements"):
        if folder.rsplit("/", 1)[-1] == "requirements":
            folder = folder.rpartition("/")[0]
        return REQUIREMENTS, folder or "."
    if name.endswith(".csproj"):
        return CSPROJ, folder or "."
    return None
