"""Which knowledge-base rule a probe finding carries: the framework's rule for the category,
else the language's, else any rule of that category, so a confirmed finding has the same id
the scanner would give the flaw."""

from __future__ import annotations

from auditor.kb.model import Rule

LANGUAGE_PREFIX = {"python": ("py", "pymongo", "pyjwt"), "javascript": ("js", "node", "mongoose", "jsonwebtoken"),
                   "typescript": ("js", "node", "ts", "mongoose", "jsonwebtoken"),
                   "java": ("java", "spring"), "ruby": ("ruby", "rb"), "php": ("php",), "go": ("go",)}
FRAMEWORK_PREFIX = {"spring-boot": ("spring",), "nextjs": ("nextjs", "next"), "fastify": ("express",),
                    "nestjs": ("nestjs", "nest", "express"),
                    "koa": ("express",), "django": ("django", "drf")}
# Words in a rule id that say it is about what a check found (several rules share a category).
HINTS = {"headers": ("headers", "helmet", "security-middleware"), "cookies": ("cookie",), "debug": ("debug",),
         "jwt": ("jwt", "decode"), "session": ("client-side-session",), "template": ("ssti", "template", "code", "eval"), "code": ("code", "eval")}


def rule_for(rules: dict[str, Rule], category: str, framework: str, language: str, check: str = "") -> Rule | None:
    prefixes = [*FRAMEWORK_PREFIX.get(framework, (framework,) if framework else ()),
                *LANGUAGE_PREFIX.get(language, ())]
    hints = HINTS.get(check, ())
    groups = [[rule for rid, rule in rules.items() if rid.startswith(prefix + ".") and rule.category == category]
              for prefix in prefixes]
    if hints:  # the framework's rules before the language's; within each, the most specific word first
        return next((r for group in groups for h in hints for r in group if h in r.id), None)
    own = [r for group in groups for r in group]
    return own[0] if own else next((r for r in rules.values() if r.category == category), None)
