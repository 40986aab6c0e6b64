"""Builders for emit tests: rules and stacks made in the test, independent of the shipped rules
and of stack detection, so each test says exactly what it feeds the writers."""

from __future__ import annotations

from pathlib import Path

import yaml

from auditor.emit.apply import apply_changes
from auditor.emit.content import RuleContent, build_content
from auditor.emit.interface import FileChange, Writer
from auditor.findings import Severity
from auditor.kb.model import Applies, Rule, RuleExample
from auditor.stack.model import Stack, StackComponent, SubProject

KINDS = {"python": "language", "javascript": "language", "typescript": "language", "java": "language",
         "django": "framework", "flask": "framework", "express": "framework", "react": "framework",
         "spring-boot": "framework"}


def make_rule(
    rid: str,
    severity: str = "high",
    *,
    frameworks: tuple[str, ...] = (),
    libraries: tuple[str, ...] = (),
    languages: tuple[str, ...] = (),
    example: str | None = "python",
    guidance: int = 3,
    words: int = 12,
) -> Rule:
    """A rule with `guidance` bullets of about `words` words and a good/bad example."""
    bullets = tuple(
        f"Guidance {i} for {rid}: " + " ".join(f"word{j}" for j in range(words)) for i in range(guidance)
    )
    examples = (RuleExample(example, bad=f"bad_{rid.replace('.', '_')}()\n", good=f"good_{rid.replace('.', '_')}()\n"),) if example else ()
    return Rule(
        id=rid, title=f"Title of {rid}", category="sql-injection", cwe=("CWE-89",), owasp="A03:2021",
        severity=Severity.parse(severity),
        applies=Applies(frameworks=frameworks, any_library=libraries, languages=languages),
        guidance=bullets, examples=examples, detectors=(), references=("https://example.org/ref",),
    )


def project(path: str, *ids: str) -> SubProject:
    p = SubProject(path=path, manifests=[f"{path}/manifest" if path != "." else "manifest"])
    for cid in ids:
        p.add(StackComponent(cid, KINDS.get(cid, "library")))
    return p


def stack(*projects: SubProject) -> Stack:
    return Stack(root="/project", projects=list(projects))


PY = stack(project(".", "python", "django", "psycopg"))
JS = stack(project(".", "javascript", "express", "pg"))
MONO = stack(project("services/api", "python", "django"), project("web", "javascript", "express", "pg"))

PY_RULES = [
    make_rule("django.sql.raw", "critical", frameworks=("django",)),
    make_rule("python.exec.shell", "high", languages=("python",)),
    make_rule("django.debug.off", "medium", frameworks=("django",)),
]
JS_RULES = [make_rule("express.sql.params", "critical", frameworks=("express",), libraries=("pg",), example="javascript")]


def content_for(st: Stack, rules: list[Rule]) -> RuleContent:
    return build_content(st, rules)


def run(writer: Writer, root: Path, st: Stack, rules: list[Rule]) -> list[FileChange]:
    """Plan with `writer` and apply; returns the plan."""
    changes = writer.plan(root, content_for(st, rules))
    apply_changes(changes)
    return changes


def split_frontmatter(text: str) -> tuple[str, str]:
    """(frontmatter text without fences, rest). The file must start with `---`."""
    assert text.startswith("---\n"), text[:80]
    end = text.index("\n---\n", 3)
    return text[4:end + 1], text[end + 5:]


def yaml_frontmatter(text: str) -> dict:
    front, _ = split_frontmatter(text)
    return yaml.safe_load(front)


