"""`auditor mcp`: serve the read-only MCP tools over stdio for the project at `root`."""

from __future__ import annotations

from pathlib import Path

from auditor.errors import AuditorError


def run_mcp(root: Path) -> None:
    if not root.is_dir():
        raise AuditorError(f"{root}: not a directory")
    from auditor.agent.mcp_server import serve_stdio

    serve_stdio(root)
