"""The rules written for a project name its own stack's APIs and nothing of other stacks
(issue: "Nothing in the output is about a stack the project does not use")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.kb.compose import compose_rules, render_markdown
from auditor.stack.detect import detect_stack

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# word -> the component ids that make the word legitimate in a project's rules
MARKERS = {
    "Express": {"express"}, "Django": {"django"}, "Flask": {"flask"}, "FastAPI": {"fastapi"},
    "Spring": {"spring-boot", "spring-security"}, "Rails": {"rails"}, "Laravel": {"laravel"},
    "Next.js": {"nextjs"}, "Prisma": {"prisma"}, "mongoose": {"mongoose"}, "SQLAlchemy": {"sqlalchemy"},
    "Devise": {"devise"}, "GORM": {"gorm"}, "gin": {"gin"}, "echo": {"echo"}, "NestJS": {"nestjs"},
    "ActiveRecord": {"activerecord"}, "Eloquent": {"eloquent"}, "Thymeleaf": {"thymeleaf"},
    # one framework's API named in a language-level rule
    "render_template_string": {"flask", "quart"}, "mark_safe": {"django"},
}


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir()))
def test_rules_mention_only_the_projects_own_stack(example):
    stack = detect_stack(EXAMPLES / example)
    present = {c.id for p in stack.projects for c in p.components}
    text = render_markdown(compose_rules(stack), stack)
    foreign = [
        word for word, ids in MARKERS.items()
        if not ids & present and re.search(rf"(?<![\w.-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE)
    ]
    assert not foreign, f"{example}: rules mention {foreign}"
