"""File kinds the scanner knows, and tree-sitter parsers for the ones with a grammar.

Grammars come from the per-language wheels (compiled, offline). Parsers are created on
first use so `auditor --help` and single-file scans pay only for what they touch.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import PurePosixPath

from tree_sitter import Language, Parser, Tree

# extension -> language id (ids match kb.model.EXAMPLE_LANGUAGES)
EXTENSIONS: dict[str, str] = {
    ".py": "python", ".pyw": "python",
    ".js": "javascript", ".jsx": "javascript", ".mjs": "javascript", ".cjs": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript",
    ".tsx": "tsx",
    ".java": "java",
    ".rb": "ruby", ".rake": "ruby",
    ".go": "go",
    ".php": "php",
    ".properties": "properties",
    ".yml": "yaml", ".yaml": "yaml",
    ".erb": "erb",
}

# (module, function) giving the tree-sitter language pointer for each grammar language.
_GRAMMARS: dict[str, tuple[str, str]] = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "java": ("tree_sitter_java", "language"),
    "ruby": ("tree_sitter_ruby", "language"),
    "go": ("tree_sitter_go", "language"),
    "php": ("tree_sitter_php", "language_php"),
}

GRAMMAR_LANGUAGES: frozenset[str] = frozenset(_GRAMMARS)

# Languages that share checks: JS checks run on TS and TSX trees too.
FAMILY: dict[str, str] = {"javascript": "javascript", "typescript": "javascript", "tsx": "javascript"}


def language_for(path: str) -> str | None:
    """The language id of a file by its name, or None when the scanner has nothing for it."""
    p = PurePosixPath(path)
    name = p.name
    if name == ".env" or name.startswith(".env.") or name.endswith(".env"):
        return "dotenv"
    if name.endswith(".html.erb"):
        return "erb"
    return EXTENSIONS.get(p.suffix.lower())


@cache
def grammar(language: str) -> Language:
    module, func = _GRAMMARS[language]
    return Language(getattr(importlib.import_module(module), func)())


@cache
def parser(language: str) -> Parser:
    return Parser(grammar(language))


def parse(language: str, text: str) -> Tree:
    """Parse `text`; tree-sitter never raises on bad syntax (it marks ERROR nodes)."""
    return parser(language).parse(text.encode("utf-8", "surrogatepass"))
