"""File kinds the scanner knows, and tree-sitter parsers for the ones with a grammar.

Grammars come from the per-language wheels (compiled, offline). Parsers are created on
first use so `auditor --help` and single-file scans pay only for what they touch.
"""

from __future__ import annotations

import importlib
from functools import cache

from tree_sitter import Language, Parser, Tree

from auditor.filetypes import EXTENSIONS, language_for  # noqa: F401  (re-exported for checks)

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
