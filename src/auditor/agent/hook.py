"""`auditor hook AGENT`: read the agent's payload, check the edit in-process, answer in the
agent's own shape. Whatever goes wrong inside auditor, the agent is never blocked by it: the
outcome is exit 0 with one line on stderr saying the edit was not checked and why.

Events: `post` (after an edit, the default), `stop` (the agent ends its turn; Claude Code and
Codex) and `prompt` (the user submitted a prompt: the turn begins; recorded for `stop`).
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.agent.formats import FORMATS
from auditor.agent.formats.interface import PayloadError, root_of

EVENTS = ("post", "stop", "prompt")
STOP_AGENTS = ("claude", "codex")
TIME_LIMIT = 20  # seconds; hook runners kill slow hooks anyway, we would rather say why


@dataclass
class HookOutcome:
    stdout: str = ""
    stderr: str = ""
    code: int = 0


class HookTimeout(Exception):
    pass


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise HookTimeout after `seconds` (POSIX main thread only; elsewhere no limit)."""
    def expire(signum: int, frame: object) -> None:
        raise HookTimeout

    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except (AttributeError, ValueError):
        yield
        return
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def parse_payload(text: str) -> dict[str, Any]:
    try:
        payload = json.loads(text)
    except ValueError as exc:
        raise PayloadError(f"not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    if not isinstance(payload, dict):
        raise PayloadError("not a JSON object")
    return payload


def usage_error(agent: str, event: str) -> HookOutcome | None:
    """Exit 2 for an agent or event auditor does not know (a setup mistake, not a payload)."""
    if agent not in FORMATS:
        return HookOutcome(stderr=f"auditor hook: unknown agent {agent!r} (known: {', '.join(FORMATS)})\n", code=2)
    if event not in EVENTS or (event != "post" and agent not in STOP_AGENTS):
        allowed = ", ".join(EVENTS if agent in STOP_AGENTS else ("post",))
        return HookOutcome(stderr=f"auditor hook {agent}: unknown event {event!r} (use {allowed})\n", code=2)
    return None


def run_hook(agent: str, stdin_text: str, event: str = "post", offline: bool = False,
             time_limit_s: int = TIME_LIMIT) -> HookOutcome:
    """The whole hook, as text to print and an exit code (always 0 for a known agent)."""
    bad_usage = usage_error(agent, event)
    if bad_usage is not None:
        return bad_usage
    try:
        with time_limit(time_limit_s):
            payload = parse_payload(stdin_text)
            if event == "post":
                return _post(agent, payload, offline)
            if event == "stop":
                return _stop(payload, offline)
            return _prompt(payload)
    except PayloadError as exc:
        problem = f"malformed payload: {exc}"
    except HookTimeout:
        problem = f"check took over {time_limit_s} s; not checked"
    except Exception as exc:  # noqa: BLE001 - a broken check must never block the agent
        problem = f"internal error, edit not checked: {type(exc).__name__}: {exc}"
    # The agent still gets the answer of a clean edit: Cline, Cursor and Gemini parse stdout as JSON.
    from auditor.commands.crash import safe_line  # one printable line, secrets redacted

    clean = FORMATS[agent].clean if event == "post" else ""
    return HookOutcome(stdout=clean + "\n" if clean else "", stderr=safe_line(f"auditor hook {agent}: {problem}") + "\n")


def _post(agent: str, payload: dict[str, Any], offline: bool) -> HookOutcome:
    from auditor.agent.check import introduced_findings
    from auditor.agent.feedback import render_feedback, summary_line

    fmt = FORMATS[agent]()
    request = fmt.request(payload)
    root = project_root(request.root, [e.path for e in request.edits])
    findings = introduced_findings(root, request.edits, offline=offline) if request.edits else []
    if not findings:
        return HookOutcome(stdout=fmt.clean + "\n" if fmt.clean else "")
    from auditor.kb.load import rules_by_id

    feedback = render_feedback(findings, rules_by_id(), max_chars=fmt.max_chars)
    return HookOutcome(stdout=json.dumps(fmt.answer(feedback, summary_line(findings))) + "\n")


def project_root(cwd: Path, paths: list[Path]) -> Path:
    """The agent's working directory, or the git work tree above it when an edited file lies
    outside the directory but inside the repository (the agent was started in a subfolder)."""
    from auditor.agent.check import relative_inside

    if all(relative_inside(cwd, p) is not None for p in paths):
        return cwd
    import subprocess

    try:
        top = subprocess.run(["git", "-C", str(cwd), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return cwd
    return Path(top.stdout.strip()) if top.returncode == 0 and top.stdout.strip() else cwd


def _session(payload: dict[str, Any]) -> str:
    value = payload.get("session_id") or payload.get("conversation_id") or ""
    return value if isinstance(value, str) else ""


def _stop(payload: dict[str, Any], offline: bool) -> HookOutcome:
    if payload.get("stop_hook_active") is True:
        return HookOutcome()  # we already asked once: let the agent stop, never loop
    from auditor.agent.feedback import render_feedback
    from auditor.agent.stop import stop_findings
    from auditor.kb.load import rules_by_id

    findings = stop_findings(root_of(payload, "cwd"), _session(payload), offline=offline)
    if not findings:
        return HookOutcome()
    n = len(findings)
    intro = (f"auditor: the files changed in this turn still have {n} high-severity security "
             f"finding{'s' if n != 1 else ''}. Fix {'them' if n != 1 else 'it'} before finishing:")
    feedback = render_feedback(findings, rules_by_id(), intro=intro)
    return HookOutcome(stdout=json.dumps({"decision": "block", "reason": feedback}) + "\n")


def _prompt(payload: dict[str, Any]) -> HookOutcome:
    from auditor.agent.stop import record_turn_start

    record_turn_start(root_of(payload, "cwd"), _session(payload))
    return HookOutcome()
