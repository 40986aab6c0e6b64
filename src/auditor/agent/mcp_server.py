"""`auditor mcp`: a stdio MCP server (official SDK, `MCPServer`) whose tools let an assistant
check code before it writes it. Every tool is read-only: it reads the project and the rule
base, never writes a file, and only `check_packages` talks to the network (the package
registries and OSV, through the same endpoints and cache as `auditor deps`).

Paths are relative to the project root the server was started in; a path that leaves the
root is refused, so a prompt-injected model cannot use the server to read other files.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from auditor import __version__
from auditor.agent.mcp_models import (
    FindingOut,
    FindingsOut,
    PackageOut,
    PackagesOut,
    RuleOut,
    RulesOut,
    StatsOut,
    UncheckedOut,
)
from auditor.deps.config import DepsConfig
from auditor.findings import Finding, Unchecked
from auditor.stack.model import Dependency

FilePath = Annotated[str, Field(description="File path relative to the project root, e.g. app/views.py.")]
Content = Annotated[str | None, Field(description="The file's text, when it is not saved yet (else read from disk).")]

ECOSYSTEMS = ("npm", "pypi", "rubygems", "maven", "go", "crates.io", "packagist", "nuget")
MAX_PACKAGES = 100
MAX_CONTENT = 1_000_000
LOCAL = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
REMOTE = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=True)

INSTRUCTIONS = (
    "auditor checks code for security flaws with the rules of this project's stack. Call get_rules "
    "before writing a file, scan_code on what you wrote (content may be unsaved), check_packages "
    "before adding a dependency, and explain_rule for a rule id a finding names."
)


class AuditorTools:
    """The tools' logic, bound to one project root and one dependency configuration."""

    def __init__(self, root: Path, deps_config: DepsConfig | None = None) -> None:
        self.root = root.resolve()
        self.deps_config = deps_config

    # -- helpers ------------------------------------------------------------------------------
    def relative(self, path: str) -> str:
        """`path` relative to the root; ToolError when it is empty or leaves the root."""
        if not path or not path.strip():
            raise ToolError("path is empty")
        full = Path(path).expanduser()
        full = (full if full.is_absolute() else self.root / full).resolve()
        try:
            return full.relative_to(self.root).as_posix()
        except ValueError:
            raise ToolError(f"{path}: outside the project ({self.root})") from None

    def text_of(self, rel: str, content: str | None) -> str:
        if content is not None:
            if len(content) > MAX_CONTENT:
                raise ToolError(f"content is larger than {MAX_CONTENT} characters")
            return content
        from auditor.fsutil import read_text

        if not (self.root / rel).is_file():
            raise ToolError(f"{rel}: no such file (pass content to scan unsaved code)")
        text = read_text(self.root / rel)
        if text is None:
            raise ToolError(f"{rel}: not a text file or too large")
        return text

    @staticmethod
    def report(findings: list[Finding], files: int, started: float) -> FindingsOut:
        return FindingsOut(findings=[FindingOut.of(f) for f in findings if not f.suppressed],
                           stats=StatsOut(files=files, seconds=round(time.perf_counter() - started, 3)))

    # -- tools --------------------------------------------------------------------------------
    def scan_code(self, path: FilePath, content: Content = None) -> FindingsOut:
        """Scan one file for security flaws. `path` names the file (relative to the project);
        pass `content` to scan unsaved code as if it were that file."""
        from auditor.agent.check import project_stack
        from auditor.scan.engine import Scanner

        started = time.perf_counter()
        rel = self.relative(path)
        text = self.text_of(rel, content)
        scanner = Scanner(stack=project_stack(self.root, [rel]), secrets=True, root=self.root)  # follows calls into other files
        return self.report(scanner.scan_source(rel, text), 1, started)

    def get_rules(self, path: FilePath) -> RulesOut:
        """The security rules that apply to this file in this project, most important first:
        guidance and good examples to follow while writing it."""
        from auditor.agent.check import project_stack
        from auditor.filetypes import language_for
        from auditor.kb.compose import compose_rules, stack_summary
        from auditor.kb.load import load_rules
        from auditor.kb.rank import rank
        from auditor.kb.select import applies_to
        from auditor.scan.languages import FAMILY

        rel = self.relative(path)
        stack = project_stack(self.root, [rel])
        project = stack.project_for(rel)
        language = language_for(rel)
        family = FAMILY.get(language or "", language)
        if project is not None:
            candidates = [r for r in compose_rules(stack) if applies_to(r.applies, project)]
        else:  # no manifest: the rules about the language itself
            candidates = rank(r for r in load_rules() if not (r.applies.frameworks or r.applies.any_library
                                                             or r.applies.all_libraries))
        speaking = [r for r in candidates if language is None or not r.languages
                    or language in r.languages or family in r.languages]
        return RulesOut(path=rel, stack=stack_summary(stack), rules=[RuleOut.of(r) for r in speaking])

    def explain_rule(self, rule_id: Annotated[str, Field(description="A rule id, e.g. express.sql.parameterize.")]) -> RuleOut:
        """One rule in full: guidance, bad and good example, CWE, OWASP, references."""
        from auditor.kb.load import rules_by_id

        rules = rules_by_id()
        rule = rules.get(rule_id.strip())
        if rule is None:
            near = [r for r in rules if rule_id in r][:5]
            raise ToolError(f"unknown rule id {rule_id!r}" + (f" (did you mean: {', '.join(near)}?)" if near else ""))
        return RuleOut.of(rule)

    def check_packages(
        self,
        ecosystem: Annotated[str, Field(description="npm, pypi, rubygems, maven, go, crates.io, packagist or nuget.")],
        names: Annotated[list[str], Field(description="Package names, optionally with a version: flask==3.0.0, lodash@4.17.21.")],
    ) -> PackagesOut:
        """Check packages before adding them: does each exist on the registry, is it a
        typosquat of a popular package, is it maintained, does the given version have
        advisories. Names may carry a version: `requests==2.19.0`, `lodash@4.17.20`."""
        from auditor.commands.deps import split_unchecked
        from auditor.deps.audit import audit_dependencies

        if ecosystem not in ECOSYSTEMS:
            raise ToolError(f"unknown ecosystem {ecosystem!r} (use one of {', '.join(ECOSYSTEMS)})")
        if not names or len(names) > MAX_PACKAGES:
            raise ToolError(f"give 1 to {MAX_PACKAGES} package names")
        started = time.perf_counter()
        deps = [Dependency(name=n, ecosystem=ecosystem, path="(check_packages)", version=v, spec=v)
                for n, v in (split_version(ecosystem, raw) for raw in names)]
        audit = audit_dependencies(self.root, deps, config=self.deps_config or DepsConfig.from_env())
        findings, unchecked = split_unchecked(audit.findings)
        out = self.report(findings, 0, started)
        out.stats.unchecked = [UncheckedOut.of(u) for u in unchecked]
        return PackagesOut(findings=out.findings, stats=out.stats,
                           packages=[package_summary(d, findings, unchecked) for d in deps])

    def find_secrets(
        self,
        path: Annotated[str | None, Field(description="A file relative to the project root.")] = None,
        content: Annotated[str | None, Field(description="Text to check instead of (or as) the file.")] = None,
    ) -> FindingsOut:
        """Find hard-coded secrets in a file or in a piece of text (results are redacted)."""
        from auditor.secrets.detect import find_secrets

        if path is None and content is None:
            raise ToolError("give a path, content, or both")
        started = time.perf_counter()
        rel = self.relative(path) if path is not None else "snippet.txt"
        return self.report(find_secrets(rel, self.text_of(rel, content)), 1, started)


def split_version(ecosystem: str, raw: str) -> tuple[str, str | None]:
    """`name==1.2` / `name@1.2` / `@scope/name@1.2` -> (name, version)."""
    raw = raw.strip()
    if "==" in raw:
        name, _, version = raw.partition("==")
        return name.strip(), version.strip() or None
    at = raw.rfind("@")
    if at > 0:
        return raw[:at], raw[at + 1:] or None
    return raw, None


def package_summary(dep: Dependency, findings: list[Finding], unchecked: list[Unchecked]) -> PackageOut:
    """Fold the findings about one package into exists / typosquat / maintained / advisories."""
    from auditor.deps.findings import HALLUCINATED, TYPOSQUAT, UNMAINTAINED, VULNERABLE

    mine = [f for f in findings if f.extra.get("package") == dep.name]
    not_checked = {u.check for u in unchecked if u.subject.split(" (")[0].rsplit("@", 1)[0] == dep.name}
    missing = any(f.rule_id == HALLUCINATED or f.extra.get("status") == "malicious" for f in mine)
    squat = next((f.extra.get("imitates") for f in mine if f.rule_id == TYPOSQUAT), None)
    exists = None if "exists" in not_checked else not missing
    vulnerable = [a["id"] for f in mine if f.rule_id == VULNERABLE for a in f.extra.get("advisories", [])]
    advisories = None if dep.version is None or "vulnerabilities" in not_checked or exists is False else vulnerable
    maintained = None if not exists else not any(f.rule_id == UNMAINTAINED for f in mine)
    return PackageOut(name=dep.name, ecosystem=dep.ecosystem, version=dep.version, exists=exists,
                      typosquat_of=squat, maintained=maintained, advisories=advisories)


def build_server(root: Path, deps_config: DepsConfig | None = None) -> MCPServer:
    """The MCP server for the project at `root`. `deps_config` sets the registry and OSV
    endpoints (tests point them at 127.0.0.1); default: the environment, as `auditor deps`."""
    tools = AuditorTools(root, deps_config)
    server = MCPServer(name="auditor", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING")
    server.add_tool(tools.scan_code, annotations=LOCAL, structured_output=True)
    server.add_tool(tools.get_rules, annotations=LOCAL, structured_output=True)
    server.add_tool(tools.explain_rule, annotations=LOCAL, structured_output=True)
    server.add_tool(tools.check_packages, annotations=REMOTE, structured_output=True)
    server.add_tool(tools.find_secrets, annotations=LOCAL, structured_output=True)
    return server


def serve_stdio(root: Path) -> None:
    build_server(root).run("stdio")
