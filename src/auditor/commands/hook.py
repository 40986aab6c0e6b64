"""`auditor hook AGENT` and its lean twin `auditor-hook AGENT` (see auditor.agent.hook).

Agents run the hook on every edit, so the settings `init --hooks` writes call `auditor-hook`:
the same command without the Typer/Click start-up (about a fifth of the hook's time)."""

from __future__ import annotations

import sys

USAGE = "usage: auditor-hook AGENT [--event post|stop|prompt]  (AGENT: claude, codex, cursor, gemini, cline)\n"


def run_hook_command(agent: str, event: str) -> int:
    from auditor.agent.hook import run_hook, usage_error

    outcome = usage_error(agent, event)  # before reading stdin, which may be a terminal
    if outcome is None:
        outcome = run_hook(agent, sys.stdin.buffer.read().decode("utf-8", "replace"), event=event)
    if outcome.stdout:
        sys.stdout.write(outcome.stdout)
    if outcome.stderr:
        sys.stderr.write(outcome.stderr)
    return outcome.code


def main() -> None:
    """Entry point of `auditor-hook`: `AGENT [--event EVENT]`, nothing else."""
    for stream in (sys.stdout, sys.stderr):  # as auditor's main(): escape what cannot be encoded
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    args = sys.argv[1:]
    event = "post"
    if len(args) == 3 and args[1] == "--event":
        event = args[2]
    elif len(args) == 2 and args[1].startswith("--event="):
        event = args[1].split("=", 1)[1]
    elif len(args) != 1 or args[0].startswith("-"):
        sys.stderr.write(USAGE)
        sys.exit(2)
    sys.exit(run_hook_command(args[0], event))
