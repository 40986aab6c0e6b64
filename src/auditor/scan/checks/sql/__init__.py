"""Checks on SQL files (migrations, schema and policy scripts), read as text."""
