"""Compose the rule set for a detected stack and render it as text.

One composition (which rules, in which order) feeds every output: `auditor rules`, the files
`auditor init` writes for each assistant, `auditor explain`, and the benchmark's system prompt.
Rendering never cuts a rule in the middle: when a budget is given, whole examples and then
whole low-ranked rules are left out, and the text says how many and how to see them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from auditor.kb.load import load_rules
from auditor.kb.model import Rule, RuleExample
from auditor.kb.rank import Fitted, Measure, chars, fit, rank, score
from auditor.kb.select import applies_to
from auditor.stack.model import Stack, SubProject, shown_path

MAX_BULLETS = 5
MAX_LIBRARIES = 8
TITLE = "Security rules (auditor)"
NO_RULES = "No rule in auditor's knowledge base matches this stack yet.\n\n"


def compose_rules(stack: Stack) -> list[Rule]:
    """The shipped rules that apply to at least one sub-project of `stack`, best first."""
    return rank(r for r in load_rules() if any(applies_to(r.applies, p) for p in stack.projects))


def rule_projects(rule: Rule, stack: Stack) -> list[str]:
    """Paths of the sub-projects the rule applies to, sorted, printable (see shown_path)."""
    return sorted(shown_path(p.path) for p in stack.projects if applies_to(rule.applies, p))


def _project_summary(project: SubProject) -> str:
    parts = sorted(project.languages)
    for fw in sorted(project.of_kind("framework"), key=lambda c: c.id):
        parts.append(f"{fw.id} {fw.version}" if fw.version else fw.id)
    libs = sorted(project.libraries)
    if libs:
        shown = ", ".join(libs[:MAX_LIBRARIES])
        more = f" and {len(libs) - MAX_LIBRARIES} more" if len(libs) > MAX_LIBRARIES else ""
        parts.append(f"with {shown}{more}")
    return ", ".join(parts) or "nothing recognised"


def stack_summary(stack: Stack) -> str:
    """One line naming the detected stack, per sub-project in a monorepo."""
    projects = sorted(stack.projects, key=lambda p: p.path)
    if not projects:
        return "no manifest found"
    if len(projects) == 1 and projects[0].path == ".":
        return _project_summary(projects[0])
    return "; ".join(f"{shown_path(p.path)}/: {_project_summary(p)}" if p.path != "." else f"root: {_project_summary(p)}"
                     for p in projects)


def stack_specific(rule: Rule) -> bool:
    """Rules tied to a framework or library. Only their examples are written into a
    project's files: a language-level or cross-cutting rule's example is written in some
    framework's idiom (a Flask handler, a requirements line) that may not be this project's."""
    a = rule.applies
    return bool(a.frameworks or a.any_library or a.all_libraries)


def pick_example(rule: Rule, languages: Sequence[str] = ()) -> RuleExample | None:
    """The example in one of `languages` when there is one, else the rule's first; None for
    rules that are not stack-specific (see stack_specific)."""
    if not stack_specific(rule):
        return None
    for ex in rule.examples:
        if ex.language in languages:
            return ex
    return rule.examples[0] if rule.examples else None


def _fence(code: str) -> str:
    """A backtick fence longer than any backtick run inside the code."""
    longest = run = 0
    for ch in code:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def _bullet(text: str) -> str:
    return " ".join(text.split())


def _where(rule: Rule, stack: Stack | None) -> str | None:
    """For a monorepo, the sub-projects a rule is limited to (None when it applies everywhere)."""
    if stack is None or len(stack.projects) < 2:
        return None
    paths = rule_projects(rule, stack)
    if not paths or len(paths) == len(stack.projects):
        return None
    return ", ".join(f"{p}/" if p != "." else "the root project" for p in paths)


def rule_markdown(
    rule: Rule,
    *,
    example: bool = False,
    languages: Sequence[str] = (),
    stack: Stack | None = None,
    level: int = 3,
    bullets: int = MAX_BULLETS,
) -> str:
    """One rule as a markdown section ending in a blank line: title, id line, the first
    `bullets` guidance bullets, and (optionally) the good example."""
    out = [f"{'#' * level} {rule.title}", f"`{rule.id}` · {rule.severity.label} · {rule.category}"
           + (f" · {', '.join(rule.cwe)}" if rule.cwe else "")]
    where = _where(rule, stack)
    if where:
        out.append(f"Applies in: {where}")
    out.append("")
    out.extend(f"- {_bullet(g)}" for g in rule.guidance[:bullets])
    ex = pick_example(rule, languages) if example else None
    if ex is not None:
        fence = _fence(ex.good)
        out += ["", "Do this:", f"{fence}{ex.language}", ex.good.rstrip("\n"), fence]
    return "\n".join(out) + "\n\n"


def _intro(stack: Stack) -> str:
    return (
        f"Detected stack: {stack_summary(stack)}.\n\n"
        "Follow these rules in all code you write in this project; the most important come first. "
        "Rule ids match `auditor scan` findings, and `auditor explain <rule-id>` shows a rule in full "
        "(bad and good example, references).\n\n"
    )


def omitted_note(count: int) -> str:
    noun = "rule" if count == 1 else "rules"
    return f"_{count} lower-ranked {noun} left out to fit this file's size limit; run `auditor rules` to see them all._\n\n"


def _fit_with_note(
    rules: Sequence[Rule], cost: Callable[[Rule, bool], int], budget: int | None, head: int, note: int
) -> Fitted:
    """Fit without room for the "left out" note when everything fits; otherwise keep room for it."""
    fitted = fit(rules, cost, budget, fixed=head)
    return fitted if not fitted.omitted else fit(rules, cost, budget, fixed=head + note)


def markdown_document(
    rules: Sequence[Rule],
    stack: Stack,
    *,
    budget: int | None = None,
    measure: Measure = chars,
    title: str = TITLE,
    preface: str = "",
    languages: Sequence[str] = (),
    level: int = 2,
    empty: str = NO_RULES,
    intro: str | None = None,
    where: bool = True,
    bullets: int = MAX_BULLETS,
    examples: bool = True,
) -> str:
    """A titled markdown document of ranked rules fitted to `budget` (in `measure` units).

    `preface` goes between the stack line and the rules (e.g. pointers to path-scoped files);
    `empty` is said when there is no rule at all; `intro` replaces the standard paragraph;
    `where=False` leaves out the monorepo "Applies in" lines (for files already path-scoped);
    `bullets` caps the guidance bullets per rule; `examples=False` never shows examples.
    The result ends with exactly one newline."""
    head = f"{'#' * level} {title}\n\n{_intro(stack) if intro is None else intro}{preface}"
    scope_stack = stack if where else None

    def section(rule: Rule, with_example: bool) -> str:
        return rule_markdown(rule, example=with_example and examples, languages=languages, stack=scope_stack,
                             level=level + 1, bullets=bullets)

    def cost(rule: Rule, with_example: bool) -> int:
        return measure(section(rule, with_example))

    fitted = _fit_with_note(rules, cost, budget, measure(head), measure(omitted_note(len(rules))))
    body = "".join(section(r, r.id in fitted.with_example) for r in fitted.kept)
    if not rules:
        body = empty
    if fitted.omitted:
        body += omitted_note(len(fitted.omitted))
    return (head + body).rstrip("\n") + "\n"


def render_markdown(rules: Sequence[Rule], stack: Stack, max_chars: int | None = None) -> str:
    """The composed rules as `init` writes them, fitted to `max_chars` when given."""
    return markdown_document(rules, stack, budget=max_chars)


def smallest_budget(rules: Sequence[Rule], stack: Stack) -> int:
    """The fewest characters `render_markdown` needs to keep the first rule (without its
    example), so a budget below it can be explained instead of printing no rule at all."""
    if not rules:
        return 0
    alone = len(markdown_document(rules[:1], stack, examples=False)) + 1  # its "\n\n" was trimmed
    return alone + (len(omitted_note(len(rules))) if len(rules) > 1 else 0)


def render_json(rules: Sequence[Rule], stack: Stack) -> str:
    from auditor import __version__

    payload = {
        "version": __version__,
        "stack": stack_summary(stack),
        "projects": [
            {"path": shown_path(p.path), "languages": sorted(p.languages), "frameworks": sorted(p.frameworks)}
            for p in sorted(stack.projects, key=lambda p: p.path)
        ],
        "rules": [
            {**r.to_dict(), "rank": i, "score": score(r), "applies_in": rule_projects(r, stack)}
            for i, r in enumerate(rules, start=1)
        ],
    }
    return json.dumps(payload, indent=2)


def _applies_text(rule: Rule) -> str:
    a = rule.applies
    parts = []
    for label, values in (("frameworks", a.frameworks), ("any of", a.any_library), ("all of", a.all_libraries),
                          ("languages", a.languages), ("unless", a.unless_libraries)):
        if values:
            parts.append(f"{label} {', '.join(values)}")
    parts += [f"{v.component} {v.spec}" for v in a.versions]
    return "; ".join(parts) or "any stack"


def render_rule(rule: Rule) -> str:
    """Everything about one rule, for `auditor explain`."""
    out = [
        f"# {rule.title}",
        "",
        f"id:        {rule.id}",
        f"severity:  {rule.severity.label}",
        f"category:  {rule.category}",
        f"CWE:       {', '.join(rule.cwe)}",
        f"OWASP:     {rule.owasp}",
        f"applies:   {_applies_text(rule)}",
        "",
        "## Guidance",
        "",
        *(f"- {_bullet(g)}" for g in rule.guidance),
    ]
    for ex in rule.examples:
        for kind, code in (("Bad", ex.bad), ("Good", ex.good)):
            fence = _fence(code)
            out += ["", f"## {kind} example ({ex.language}, {ex.filename})", "", f"{fence}{ex.language}",
                    code.rstrip("\n"), fence]
    out += ["", "## Detectors", ""]
    out += [f"- {d}" for d in rule.detectors] or ["- none: guidance only, `auditor scan` does not check this rule"]
    if rule.references:
        out += ["", "## References", "", *(f"- {ref}" for ref in rule.references)]
    if rule.source:
        out += ["", f"(defined in kb/rules/{rule.source})"]
    return "\n".join(out) + "\n"


def _plain_rule(rule: Rule, number: int, example: bool) -> str:
    out = [f"{number}. [{rule.severity.label}] {rule.title} ({rule.id})"]
    out += [f"   - {_bullet(g)}" for g in rule.guidance[:MAX_BULLETS]]
    ex = pick_example(rule) if example else None
    if ex is not None:
        out.append(f"   Correct ({ex.language}):")
        out += [f"       {line}" if line.strip() else "" for line in ex.good.rstrip("\n").splitlines()]
    return "\n".join(out) + "\n\n"


def render_system_prompt(rules: Sequence[Rule], stack: Stack, max_chars: int | None) -> str:
    """The rule set as plain text for a model's system prompt, fitted to `max_chars`.

    Numbering follows the ranking; omitted rules are always the lowest-ranked, so a rule's
    number does not depend on the budget."""
    head = (
        f"Security rules for this project (stack: {stack_summary(stack)}). Follow every rule below "
        "in all code you write, most important first.\n\n"
    )
    index = {r.id: i for i, r in enumerate(rules, start=1)}
    fitted = _fit_with_note(rules, lambda r, e: len(_plain_rule(r, index[r.id], e)), max_chars, len(head),
                            len(omitted_note(len(rules))))
    body = "".join(_plain_rule(r, index[r.id], r.id in fitted.with_example) for r in fitted.kept)
    if fitted.omitted:
        body += f"({len(fitted.omitted)} lower-ranked rules left out to fit the limit.)\n"
    return (head + body).rstrip("\n") + "\n"
