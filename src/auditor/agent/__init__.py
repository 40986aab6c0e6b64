"""Agent integration: hooks per assistant, the Stop-event check, the MCP server, settings mergers."""
