"""Which web framework a file is written for, read from its imports, for files whose stack
names none (a file scanned on its own, a hook's unsaved buffer).

The engine uses it to report a hit under that framework's rule (express.sql.parameterize
rather than js.sql.parameterize) when the check itself gave no hint. The Python checks
read their imports precisely and pass `Hit.framework`; the other languages are judged
here, by their import lines, most specific framework first (NestJS runs on Express,
Next.js on React).
"""

from __future__ import annotations

import re

from auditor.scan.languages import FAMILY

_JS_IMPORT = r"""(?:from\s+|require\(\s*|import\s*\(\s*|import\s+)['"]{}['"/]"""

# language family -> (framework id, pattern over the file's text), most specific first.
_HINTS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    "javascript": tuple(
        (fw, re.compile("|".join(_JS_IMPORT.format(re.escape(m)) for m in mods)))
        for fw, mods in (
            ("nestjs", ("@nestjs/common", "@nestjs/core")),
            ("nextjs", ("next", "next/server", "next/navigation", "next/headers")),
            ("fastify", ("fastify",)),
            ("koa", ("koa", "@koa/router", "koa-router")),
            ("express", ("express",)),
            ("angular", ("@angular/core",)),
            ("vue", ("vue",)),
            ("svelte", ("svelte",)),
            ("react", ("react", "react-dom")),
        )
    ),
    "java": (("spring-boot", re.compile(r"^\s*import\s+org\.springframework\.", re.M)),),
    "ruby": (
        ("rails", re.compile(r"<\s*(?:ApplicationController|ActionController::\w+|ApplicationRecord|ActiveRecord::Base)\b|\bRails\.")),
        ("sinatra", re.compile(r"""require\s+['"]sinatra|Sinatra::Base""")),
    ),
    "go": (
        ("gin", re.compile(r'"github\.com/gin-gonic/gin"')),
        ("echo", re.compile(r'"github\.com/labstack/echo(?:/v\d+)?"')),
    ),
    "php": (("laravel", re.compile(r"^\s*use\s+Illuminate\\", re.M)),),
}


def framework_hint(language: str | None, text: str) -> str | None:
    """The framework id the file's imports show, or None (Python files: see the checks)."""
    family = FAMILY.get(language or "", language)
    for framework, pattern in _HINTS.get(family or "", ()):
        if pattern.search(text):
            return framework
    return None
