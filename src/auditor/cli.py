"""Command line. Commands only: parsing options, calling the library, choosing exit codes.

Heavy modules (tree-sitter, yaml, httpx, rich) are imported inside commands so that
`auditor --help` starts fast.
"""

from __future__ import annotations

import os
import sys
import traceback
from enum import StrEnum
from pathlib import Path
from typing import NoReturn

import typer

from auditor import __version__
from auditor.errors import AuditorError

app = typer.Typer(
    name="auditor",
    help="Make AI-written code secure: stack-aware rules for AI assistants, and checks for what they wrote.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class StackFormat(StrEnum):
    text = "text"
    json = "json"


class RulesFormat(StrEnum):
    markdown = "markdown"
    json = "json"


class FindingsFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"


def _die(message: str, code: int = 2) -> NoReturn:
    sys.stderr.write(f"auditor: {message}\n")
    raise typer.Exit(code)


def _root(path: Path) -> Path:
    if not path.exists():
        _die(f"{path}: no such file or directory")
    return path


def _version(value: bool) -> None:
    if value:
        print(f"auditor {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """auditor: prevention (init), detection (scan, secrets, deps)."""


@app.command()
def detect(
    path: Path = typer.Argument(Path("."), help="Project directory."),
    format: StackFormat = typer.Option(StackFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """Show the detected stack, per sub-project."""
    from auditor.stack.detect import detect_stack
    from auditor.stack.render import render_json, render_text

    stack = detect_stack(_root(path))
    print(render_json(stack) if format is StackFormat.json else render_text(stack))
    for problem in stack.problems:
        sys.stderr.write(f"auditor: warning: {problem.path}: {problem.problem}\n")


@app.command()
def rules(
    path: Path = typer.Argument(Path("."), help="Project directory."),
    format: RulesFormat = typer.Option(RulesFormat.markdown, "--format", "-f", help="Output format."),
    max_chars: int | None = typer.Option(None, "--max-chars", min=200, help="Character budget for the rule text."),
) -> None:
    """Print the ranked rule set that `init` would write for this project."""
    from auditor.kb.compose import compose_rules, render_json, render_markdown, smallest_budget
    from auditor.stack.detect import detect_stack

    stack = detect_stack(_root(path))
    selected = compose_rules(stack)
    if format is RulesFormat.json:
        print(render_json(selected, stack))
    else:
        print(render_markdown(selected, stack, max_chars=max_chars))
        need = smallest_budget(selected, stack)
        if max_chars is not None and max_chars < need:
            sys.stderr.write(f"auditor: --max-chars {max_chars} fits no rule: the heading and the first rule "
                             f"need {need} characters\n")


@app.command()
def init(
    path: Path = typer.Argument(Path("."), help="Project directory."),
    tools: str | None = typer.Option(
        None, "--tools", help="Comma-separated assistant formats (see `auditor init --list-tools`), or 'all'."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print a diff of what would change; write nothing."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 if any rules file is missing or stale."),
    list_tools: bool = typer.Option(False, "--list-tools", help="List the assistant formats and exit."),
    hooks: bool = typer.Option(False, "--hooks", help="Also add auditor's edit hooks to the assistants' settings."),
    mcp: bool = typer.Option(False, "--mcp", help="Also register the auditor MCP server with the assistants."),
    ci: str | None = typer.Option(None, "--ci", help="Also write a CI workflow: github."),
) -> None:
    """Write stack-specific security rules into the files AI assistants read."""
    from auditor.agent.setup import apply_setup, plan_setup
    from auditor.emit.apply import list_writers, render_diff

    if list_tools:
        for writer in list_writers():
            print(f"{writer.tool:<10} {writer.describe}")
        return
    root = _root(path)
    if not root.is_dir():
        _die(f"{root}: not a directory")
    from auditor.stack.detect import detect_stack

    stack = detect_stack(root)
    for problem in stack.problems:
        sys.stderr.write(f"auditor: warning: {problem.path}: {problem.problem}\n")
    changes = plan_setup(root, stack, tools, hooks=hooks, mcp=mcp, ci=ci)
    stale = [c for c in changes if c.changed]
    if dry_run:
        sys.stdout.write(render_diff(stale, root) or "auditor: nothing to change\n")
        if not check:
            return
    if check:
        for c in stale:
            rel = c.path.relative_to(root).as_posix()
            state = "missing" if c.before is None else "no longer needed" if c.remove else "stale"
            sys.stderr.write(f"auditor: {rel}: {state}\n")
        raise typer.Exit(1 if stale else 0)
    apply_setup(stale, root)
    for c in changes:
        rel = c.path.relative_to(root).as_posix()
        state = "unchanged" if not c.changed else (
            "removed" if c.remove else "created" if c.before is None else "updated")
        print(f"{state:<9} {rel}")


@app.command()
def explain(rule_id: str = typer.Argument(..., help="A rule id, e.g. express.sql.parameterize.")) -> None:
    """Show one rule in full: guidance, bad and good example, CWE, references."""
    from auditor.kb.compose import render_rule
    from auditor.kb.load import rules_by_id

    rules = rules_by_id()
    rule = rules.get(rule_id)
    if rule is None:
        near = [r for r in rules if rule_id in r or r.startswith(rule_id.split(".")[0] + ".")][:5]
        hint = f" (did you mean: {', '.join(near)}?)" if near else ""
        _die(f"unknown rule id {rule_id!r}{hint}")
    print(render_rule(rule))


def _fail_on(value: str) -> object:
    from auditor.findings import Severity

    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


FAIL_ON = typer.Option("high", "--fail-on", help="Exit 1 when a finding is at or above: critical|high|medium|low.")
FORMAT = typer.Option(FindingsFormat.text, "--format", "-f", help="Output format.")
OUTPUT = typer.Option(None, "--output", "-o", help="Write the report to this file instead of stdout.")


@app.command()
def scan(
    paths: list[Path] = typer.Argument(None, help="Files or directories (default: current directory)."),
    format: FindingsFormat = FORMAT,
    output: Path | None = OUTPUT,
    fail_on: str = FAIL_ON,
    diff: str | None = typer.Option(None, "--diff", help="Only findings on lines changed since this git ref."),
    baseline: Path | None = typer.Option(None, "--baseline", help="Baseline file (default: .auditor-baseline.json if present)."),
    write_baseline: bool = typer.Option(False, "--write-baseline", help="Record current findings as the baseline and exit 0."),
    no_secrets: bool = typer.Option(False, "--no-secrets", help="Skip the hard-coded secrets checks."),
    show_suppressed: bool = typer.Option(False, "--show-suppressed", help="List suppressed findings too."),
    confirm: str | None = typer.Option(None, "--confirm", help="Probe the app running at this URL and mark each "
                                       "finding confirmed / not-reproduced / not-reachable."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes (default: the CPU count)."),
    library: bool = typer.Option(False, "--library", help="Library mode: treat the parameters of the package's "
                                 "public API (exported functions and classes) as untrusted input too."),
) -> None:
    """Scan source code for the flaws the rules forbid."""
    from auditor.commands.scan import run_scan

    if confirm:
        from auditor.commands.probe import confirm_scan

        raise typer.Exit(confirm_scan(paths or [Path(".")], confirm, format.value, output, _fail_on(fail_on),
                                      not no_secrets))

    code = run_scan(
        paths or [Path(".")], format=format.value, output=output, fail_on=_fail_on(fail_on), diff=diff,
        baseline=baseline, write_baseline=write_baseline, secrets=not no_secrets, show_suppressed=show_suppressed,
        jobs=jobs, library=library,
    )
    raise typer.Exit(code)


@app.command()
def secrets(
    path: Path = typer.Argument(Path("."), help="Directory or file."),
    history: bool = typer.Option(False, "--history", help="Scan the added lines of every git commit."),
    verify: bool = typer.Option(False, "--verify", help="Ask each issuing provider whether a key is live."),
    format: FindingsFormat = FORMAT,
    output: Path | None = OUTPUT,
    fail_on: str = FAIL_ON,
) -> None:
    """Find hard-coded secrets (and, with --verify, whether they are live)."""
    from auditor.commands.secrets import run_secrets

    raise typer.Exit(run_secrets(_root(path), history=history, verify=verify, format=format.value,
                                 output=output, fail_on=_fail_on(fail_on)))


@app.command()
def deps(
    path: Path = typer.Argument(Path("."), help="Project directory."),
    offline: bool = typer.Option(False, "--offline", help="Use only the cache and the local OSV database."),
    osv_db: Path | None = typer.Option(None, "--osv-db", help="Offline OSV database: a directory or per-ecosystem zip."),
    format: FindingsFormat = FORMAT,
    output: Path | None = OUTPUT,
    fail_on: str = FAIL_ON,
) -> None:
    """Check dependencies: invented, typosquatted, unmaintained or vulnerable packages."""
    from auditor.commands.deps import run_deps

    raise typer.Exit(run_deps(_root(path), offline=offline, osv_db=osv_db, format=format.value,
                              output=output, fail_on=_fail_on(fail_on)))


@app.command()
def hook(
    agent: str = typer.Argument(..., help="The assistant: claude, codex, cursor, gemini or cline."),
    event: str = typer.Option("post", "--event", help="post (after an edit), stop (turn ends) or prompt (turn begins)."),
) -> None:
    """Check an AI assistant's edit (hook payload on stdin); answer in that assistant's format."""
    from auditor.commands.hook import run_hook_command

    raise typer.Exit(run_hook_command(agent, event))


@app.command()
def mcp(path: Path = typer.Argument(Path("."), help="Project directory the tools may read.")) -> None:
    """Run the MCP server on stdio: scan_code, get_rules, explain_rule, check_packages, find_secrets."""
    from auditor.commands.mcp import run_mcp

    run_mcp(_root(path))


@app.command()
def probe(
    path: Path = typer.Argument(Path("."), help="Project directory (routes are read from its code)."),
    url: str | None = typer.Option(None, "--url", help="Probe the app running at this URL."),
    start: str | None = typer.Option(None, "--start", help="Start the app with this command (and stop it after)."),
    port: int | None = typer.Option(None, "--port", help="With --start: the port the app listens on."),
    include: list[str] = typer.Option([], "--include", help="Only routes whose path or file matches (repeatable)."),
    exclude: list[str] = typer.Option([], "--exclude", help="Skip routes whose path or file matches (repeatable)."),
    include_from: Path | None = typer.Option(None, "--include-from", help="File of --include globs, one a line."),
    # auditor.probe.safety.DEFAULT_MAX_REQUESTS (not imported here: the CLI starts without httpx)
    max_requests: int = typer.Option(5000, "--max-requests", min=1, help="Total request budget."),
    rps: float | None = typer.Option(None, "--rps", min=0.1, help="Requests per second at most "
                                     "(default: no cap on loopback, requests go one at a time; 10 for a remote target)."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Per-request timeout in seconds."),
    allow_remote: bool = typer.Option(False, "--allow-remote", help="Allow a target outside loopback."),
    allow_destructive: bool = typer.Option(False, "--allow-destructive", help="Allow PUT, PATCH, DELETE."),
    identities: list[str] = typer.Option([], "--as", help="NAME=Header: value or NAME=cookie=value."),
    logins: list[str] = typer.Option([], "--login", help="NAME=METHOD:/path:BODY (form a=1&b=2 or JSON) or "
                                     "NAME=@recipe.yaml: log this user in for IDOR and the crawl (repeatable)."),
    signup: bool = typer.Option(True, "--signup/--no-signup", help="With no --as/--login: sign up two throwaway "
                                "accounts where the app has sign-up and login forms, and probe as them."),
    html: Path | None = typer.Option(None, "--html", help="Also write a self-contained HTML report here."),
    scan_json: Path | None = typer.Option(None, "--scan-json", help="Mark this `scan --format json` report's findings "
                                          "confirmed / not-reproduced / not-reachable."),
    format: FindingsFormat = FORMAT,
    output: Path | None = OUTPUT,
    fail_on: str = FAIL_ON,
) -> None:
    """Attack the running app safely; report only flaws confirmed by a canary."""
    from auditor.commands.probe import run_probe_command

    raise typer.Exit(run_probe_command(
        path, url, start, port, include, exclude, include_from, max_requests, rps, timeout, allow_remote,
        allow_destructive, identities, format.value, output, _fail_on(fail_on), html, scan_json, logins=logins,
        signup=signup))


from auditor.commands.bench_cli import app as _bench_app  # noqa: E402

app.add_typer(_bench_app, name="bench")


def main() -> None:
    """Entry point: maps AuditorError to exit 2 with a one-line message, and so any other
    exception: a crash must never look like findings (exit 1) nor print a traceback
    (AUDITOR_DEBUG=1 shows it)."""
    # A file name or scanned line the terminal's encoding cannot show (LANG=C on an old
    # system, PYTHONIOENCODING=ascii) is printed as an escape instead of crashing.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        app()
    except AuditorError as exc:
        from auditor.commands.crash import safe_line

        sys.stderr.write(safe_line(f"auditor: {exc}") + "\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.stderr.write("auditor: interrupted\n")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence, by design
        from auditor.commands.crash import crash_line

        if os.environ.get("AUDITOR_DEBUG"):
            traceback.print_exc()
        sys.stderr.write(crash_line(exc) + "\n")
        sys.exit(2)
