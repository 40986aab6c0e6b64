"""`auditor hook AGENT`: stdin payload in, the agent's feedback out (see auditor.agent.hook)."""

from __future__ import annotations

import sys


def run_hook_command(agent: str, event: str) -> int:
    from auditor.agent.hook import run_hook

    data = sys.stdin.buffer.read()
    outcome = run_hook(agent, data.decode("utf-8", "replace"), event=event)
    if outcome.stdout:
        sys.stdout.write(outcome.stdout)
    if outcome.stderr:
        sys.stderr.write(outcome.stderr)
    return outcome.code
