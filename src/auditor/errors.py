"""Errors that end a command with exit code 2 and a one-line message naming what and where."""

from __future__ import annotations


class AuditorError(Exception):
    """Bad usage or unreadable input. The CLI prints `auditor: <message>` and exits 2."""


class InputError(AuditorError):
    """A file the user gave us could not be read or parsed; the message names the file."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
