"""Build the benchmark corpora: real, large source trees of installed frameworks, outside
this repository (inside it they would be git-ignored, and both auditor and Semgrep skip
git-ignored files). Location: $AUDITOR_BENCH_CORPUS, default <tmp>/auditor-bench-corpus. Python: Django's package source. JavaScript: Express and its
dependencies from the npm registry, copied out of node_modules (auditor skips node_modules
folders, as it should in a project; the benchmark wants them scanned)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path(os.environ.get("AUDITOR_BENCH_CORPUS") or Path(tempfile.gettempdir()) / "auditor-bench-corpus")


def django_tree(version: str = "5.1.4") -> Path:
    target = CORPUS / f"django-{version}"
    if not target.exists():
        CORPUS.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", tmp,
                            f"django=={version}"], check=True)
            shutil.copytree(Path(tmp) / "django", target)
    return target


JS_PACKAGES = ("express@4.21.2", "koa@2.15.3", "fastify@5.2.1", "sequelize@6.37.5", "mongoose@8.9.3", "knex@3.1.0")


def express_tree() -> Path:
    """Express, Koa, Fastify, Sequelize, Mongoose and Knex with all their dependencies."""
    target = CORPUS / "node-web"
    if not target.exists():
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", tmp,
                            *JS_PACKAGES], check=True)
            shutil.copytree(Path(tmp) / "node_modules", target)
    return target


def file_count(root: Path, suffixes: tuple[str, ...]) -> int:
    return sum(1 for p in root.rglob("*") if p.suffix in suffixes and p.is_file())


if __name__ == "__main__":
    for tree, suffixes in ((django_tree(), (".py",)), (express_tree(), (".js",))):
        print(f"{tree}: {file_count(tree, suffixes)} source files")
