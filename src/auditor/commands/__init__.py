"""Command implementations: glue between the CLI and the library (options -> result -> report -> exit code)."""
