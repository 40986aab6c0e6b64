"""What every writer renders from: the ranked rules split into an always-loaded part and
path-scoped parts.

Path scoping is per language family (Python rules load for `**/*.py`, JavaScript/TypeScript
rules for `**/*.js`, `**/*.ts`, ...) and, in a monorepo, per sub-project directory
(`services/api/**/*.py`). Sub-projects that get the same rules for a family share one scope.
Cross-cutting rules (tied to several language families, or to none in a sub-project speaking
several) go in the always-loaded part, shortened to their first bullets, together with one-line
reminders of the most severe path-scoped rules.

Globs are kept brace-free on purpose: Cursor's `globs` and Copilot's `applyTo` are
comma-separated strings, so `**/*.{js,ts}` would be split in the middle of the braces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from auditor.findings import Severity
from auditor.kb.compose import NO_RULES, TITLE, compose_rules, markdown_document, stack_summary
from auditor.kb.model import Rule
from auditor.kb.rank import Measure, chars, rank
from auditor.kb.select import applies_to
from auditor.stack.model import Stack, SubProject, shown_path

MAX_KEY_RULES = 10
# The always-loaded part is paid for on every request: first bullets only, no examples (those
# are in the path-scoped files, AGENTS.md and `auditor explain`).
ALWAYS_BULLETS = 2


@dataclass(frozen=True)
class Family:
    """A group of languages whose files share one path-scoped rules file."""

    id: str
    label: str
    globs: tuple[str, ...]
    languages: tuple[str, ...]  # example languages to prefer when showing a good example


FAMILIES: tuple[Family, ...] = (
    Family("python", "Python files", ("**/*.py",), ("python",)),
    Family(
        "javascript", "JavaScript and TypeScript files",
        ("**/*.js", "**/*.jsx", "**/*.ts", "**/*.tsx", "**/*.mjs", "**/*.cjs"),
        ("typescript", "tsx", "javascript"),
    ),
    Family("java", "Java and Kotlin files", ("**/*.java", "**/*.kt", "src/main/resources/application*.*"),
           ("java", "kotlin", "properties", "yaml", "xml")),
    Family("ruby", "Ruby files", ("**/*.rb", "**/*.erb"), ("ruby", "erb")),
    Family("go", "Go files", ("**/*.go",), ("go",)),
    Family("php", "PHP files", ("**/*.php",), ("php",)),
    Family("csharp", "C# files", ("**/*.cs", "**/*.cshtml"), ("csharp",)),
)
FAMILY_BY_ID: dict[str, Family] = {f.id: f for f in FAMILIES}

# Stack languages and example languages -> family. Config-file languages (yaml, dotenv, html)
# belong to no family: a rule speaking only those is scoped by the sub-project's language.
LANGUAGE_FAMILY: dict[str, str] = {
    "python": "python",
    "javascript": "javascript", "typescript": "javascript", "tsx": "javascript",
    "java": "java", "kotlin": "java", "properties": "java", "xml": "java",
    "ruby": "ruby", "erb": "ruby",
    "go": "go",
    "php": "php",
    "csharp": "csharp",
}


@dataclass(frozen=True)
class Scope:
    """One path-scoped slice of the rule set: written to `auditor-<key>.*` in formats that
    support path scoping, loaded by the assistant only for files matching `globs`."""

    key: str
    label: str
    globs: tuple[str, ...]
    rules: tuple[Rule, ...]
    languages: tuple[str, ...]


def _families(languages: Sequence[str] | set[str]) -> set[str]:
    return {LANGUAGE_FAMILY[lang] for lang in languages if lang in LANGUAGE_FAMILY}


def _families_in(rule: Rule, project: SubProject) -> set[str]:
    """The family a rule is scoped to within one sub-project; empty for a cross-cutting rule
    (one that speaks about several language families, such as hard-coded secrets or invented
    dependencies), which belongs in the always-loaded part."""
    own = _families(rule.languages)
    if len(own) > 1:
        return set()
    if own:
        return own
    spoken = _families(project.languages)
    return spoken if len(spoken) == 1 else set()


def _slug(path: str) -> str:
    return "root" if path == "." else "".join(ch if ch.isalnum() else "-" for ch in path.lower()).strip("-")


def _scope_globs(family: Family, paths: Sequence[str], rules: Sequence[Rule]) -> tuple[str, ...]:
    extra = [g for r in rules for g in r.paths]
    prefixes = [""] if "." in paths else [f"{p}/" for p in paths]
    globs = [prefix + g for prefix in prefixes for g in (*family.globs, *extra)]
    return tuple(dict.fromkeys(globs))


def _build_scopes(ranked: Sequence[Rule], stack: Stack) -> tuple[list[Scope], list[Rule]]:
    by_family: dict[str, dict[str, list[Rule]]] = {}
    general: dict[str, Rule] = {}
    for project in sorted(stack.projects, key=lambda p: p.path):
        for rule in ranked:
            if not applies_to(rule.applies, project):
                continue
            families = _families_in(rule, project)
            if not families:
                general[rule.id] = rule
            for fam in families:
                by_family.setdefault(fam, {}).setdefault(shown_path(project.path), []).append(rule)
    scopes: list[Scope] = []
    for family in FAMILIES:
        projects = by_family.get(family.id, {})
        groups: dict[tuple[str, ...], list[str]] = {}
        for path, rules in projects.items():
            groups.setdefault(tuple(r.id for r in rules), []).append(path)
        for paths in groups.values():
            rules = tuple(projects[paths[0]])
            key = family.id if len(groups) == 1 else f"{family.id}-{_slug(paths[0])}"
            where = "" if "." in paths else " in " + ", ".join(f"{p}/" for p in paths)
            scopes.append(Scope(key, family.label + where, _scope_globs(family, paths, rules), rules,
                                family.languages))
    return scopes, [r for r in ranked if r.id in general]


@dataclass(frozen=True)
class RuleContent:
    """The composed rule set for one stack, ready for every writer."""

    stack: Stack
    rules: tuple[Rule, ...]  # everything that applies, best first
    general: tuple[Rule, ...]  # cross-cutting: part of the always-loaded text
    scopes: tuple[Scope, ...]

    def full(self, budget: int | None = None, measure: Measure = chars) -> str:
        """All rules in one document, for formats without path scoping (AGENTS.md, GEMINI.md)."""
        return markdown_document(self.rules, self.stack, budget=budget, measure=measure)

    def scoped(self, scope: Scope, budget: int | None = None, measure: Measure = chars) -> str:
        """The rules of one scope, for a path-scoped file."""
        intro = (
            f"Stack: {stack_summary(self.stack)}. Follow these rules in {scope.label}, most important first; "
            "`auditor explain <rule-id>` shows a rule in full.\n\n"
        )
        return markdown_document(scope.rules, self.stack, budget=budget, measure=measure, title=f"{TITLE}: {scope.label}",
                                 languages=scope.languages, intro=intro, where=False)

    def key_rules(self) -> list[Rule]:
        """The most severe path-scoped rules, named in the always-loaded part so that even a
        model that never opens a matching file has heard of them."""
        general = {r.id for r in self.general}
        return [r for r in self.rules if r.id not in general and r.severity >= Severity.HIGH][:MAX_KEY_RULES]

    def always(
        self,
        pointers: Sequence[tuple[str, str]] = (),
        budget: int | None = None,
        measure: Measure = chars,
    ) -> str:
        """The always-loaded part: stack line, where the path-scoped files are (`pointers` as
        (label, path) pairs), one-line reminders of the key rules, then the general rules in
        full. Within a budget the general rules go first, then the reminders, lowest first."""
        preface = ""
        if pointers:
            preface += "Rules for specific files are loaded with those files:\n"
            preface += "".join(f"- {label}: `{path}`\n" for label, path in pointers) + "\n"
        key = self.key_rules()
        for count in range(len(key), -1, -1):
            reminders = ""
            if count:
                reminders = "Most important, in full in the files above:\n" if pointers else "Most important:\n"
                reminders += "".join(f"- **{r.title}** (`{r.id}`)\n" for r in key[:count]) + "\n"
            # With no general rule but scoped ones, an empty general list is normal: say nothing.
            doc = markdown_document(self.general, self.stack, budget=budget, measure=measure,
                                    preface=preface + reminders, empty=NO_RULES if not self.rules else "",
                                    bullets=ALWAYS_BULLETS, examples=False)
            if budget is None or count == 0 or measure(doc) <= budget:
                return doc
        raise AssertionError("unreachable")  # the count == 0 iteration always returns


def build_content(stack: Stack, rules: Sequence[Rule] | None = None) -> RuleContent:
    """Compose the rules for `stack` (the shipped ones unless `rules` is given) and scope them."""
    if rules is None:
        ranked = compose_rules(stack)
    else:
        ranked = rank(r for r in rules if any(applies_to(r.applies, p) for p in stack.projects))
    scopes, general = _build_scopes(ranked, stack)
    return RuleContent(stack, tuple(ranked), tuple(general), tuple(scopes))
