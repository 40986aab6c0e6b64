"""The Rule record: one unit of security knowledge used for prevention, detection,
self-test and measurement (DESIGN.md, "One idea holds it together")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditor.findings import Severity

# Languages a rule example (or a scanned file) can be written in; the keys of scan.languages.
EXAMPLE_LANGUAGES: frozenset[str] = frozenset(
    {"python", "javascript", "typescript", "tsx", "java", "ruby", "go", "php",
     "properties", "yaml", "dotenv", "erb", "html", "kotlin", "csharp", "xml", "vue", "svelte",
     "ejs", "pug", "handlebars", "jinja", "haml", "slim", "nginx", "apache", "sql"}
)


@dataclass(frozen=True)
class VersionRange:
    """`applies.versions: {django: ">=4.2"}`: the rule holds only for that component range.
    The spec uses PEP 440 operators (>=, <, ==, !=, ~=) whatever the ecosystem; an unknown
    detected version satisfies every range (we would rather say too much than nothing)."""

    component: str
    spec: str


@dataclass(frozen=True)
class Applies:
    """Which stacks a rule is for. Each non-empty list must have at least one match;
    `all_libraries` must all be present; `unless_libraries` excludes (e.g. a rule that only
    makes sense when no rate limiter is installed would list them here — use sparingly)."""

    frameworks: tuple[str, ...] = ()
    any_library: tuple[str, ...] = ()
    all_libraries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    unless_libraries: tuple[str, ...] = ()
    versions: tuple[VersionRange, ...] = ()

    @property
    def specificity(self) -> int:
        """How closely the rule is tied to a stack: framework+library > framework > library >
        language-only. Used in ranking."""
        score = 0
        if self.frameworks:
            score += 2
        if self.any_library or self.all_libraries:
            score += 2
        if self.versions:
            score += 1
        return score


# File names examples are scanned under (self-test) when the example names none.
EXAMPLE_FILES: dict[str, str] = {
    "python": "app.py", "javascript": "app.js", "typescript": "app.ts", "tsx": "page.tsx",
    "java": "Example.java", "ruby": "app.rb", "go": "main.go", "php": "index.php",
    "properties": "application.properties", "yaml": "application.yml", "dotenv": ".env",
    "erb": "show.html.erb", "html": "index.html", "kotlin": "Example.kt", "csharp": "Example.cs",
    "xml": "pom.xml", "vue": "Component.vue", "svelte": "Component.svelte",
    "ejs": "views/page.ejs", "pug": "views/page.pug", "handlebars": "views/page.hbs",
    "jinja": "templates/page.j2", "haml": "app/views/page.html.haml", "slim": "app/views/page.html.slim",
    "nginx": "nginx.conf", "apache": ".htaccess", "sql": "supabase/migrations/0001_policies.sql",
}


@dataclass(frozen=True)
class RuleExample:
    """A bad and a good snippet in the framework's idiom. `file` is the (relative) file name
    the snippet stands for when it matters to a detector (settings.py, next.config.js)."""

    language: str
    bad: str
    good: str
    file: str = ""

    @property
    def filename(self) -> str:
        return self.file or EXAMPLE_FILES[self.language]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    category: str
    cwe: tuple[str, ...]
    owasp: str
    severity: Severity
    applies: Applies
    guidance: tuple[str, ...]
    examples: tuple[RuleExample, ...]
    detectors: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    # Globs of files the rule is about, for path-scoped assistant formats. Derived from the
    # rule's languages when not given.
    paths: tuple[str, ...] = ()
    source: str = ""  # the data file it came from, for error messages

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages the rule speaks about: `applies.languages`, else its examples'."""
        if self.applies.languages:
            return self.applies.languages
        return tuple(dict.fromkeys(e.language for e in self.examples))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "category": self.category,
            "cwe": list(self.cwe),
            "owasp": self.owasp,
            "severity": self.severity.label,
            "guidance": list(self.guidance),
            "examples": [{"language": e.language, "file": e.filename, "bad": e.bad, "good": e.good} for e in self.examples],
            "detectors": list(self.detectors),
            "references": list(self.references),
            "paths": list(self.paths),
        }
