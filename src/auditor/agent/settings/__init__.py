"""Mergers that add auditor's hook and MCP entries to the assistants' own settings files,
keeping everything the user wrote (`init --hooks`, `init --mcp`)."""
