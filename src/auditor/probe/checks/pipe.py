"""A named pipe as the canary of a blind file read.

A handler that opens a path it was given and never shows what it read (vulnpy's `open(path)`,
whose result is thrown away) answers every path alike: no content comes back and no error tells
files apart. With --start the probe shares the app's machine and makes, beside the canary file,
a named pipe (a FIFO) no other program knows. Opening a FIFO is visible from its other end: while
the request naming it is in flight, the probe tries to open it for writing without blocking,
which succeeds only when a reader has it open. That reader can only be the app, opening the path
the request carried.

Nothing is harmed: the probe writes one line of canary text and closes, so a reader gets that
line and end-of-file at once. A handler that opens the path for writing waits for a reader: every
few looks the probe opens the reading end a moment, which lets it go on and shows the bytes it
wrote (proof too); they go nowhere else, and no file on disk changes. After each request the
pipe is let go from both ends, so no handler waits on it past its request."""

from __future__ import annotations

import errno
import os
import re
import select
import stat
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
POLL = 0.005  # seconds between two looks for a reader
# Its name as Target makes it. A page that links it (a directory listing) is never fetched: the
# server would wait on it with no one at the other end.
PIPE_NAME = re.compile(r"auditor-canary-[0-9a-f]+\.pipe")


def is_pipe(path: str) -> bool:
    try:
        return stat.S_ISFIFO(os.stat(path).st_mode)
    except OSError:
        return False


def _still_a_pipe(fd: int) -> bool:
    """Whether what was opened is still a FIFO. An app can put a file in its place (django.nV's
    upload moves the uploaded file to the path it is given): opening a regular file succeeds
    with no reader at all, which must never count as one."""
    return stat.S_ISFIFO(os.fstat(fd).st_mode)


def _offer(pipe: str, line: str) -> bool:
    """Hand `line` to a reader that has the pipe open; False (and nothing written) if none has."""
    try:
        fd = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno in (errno.ENXIO, errno.ENOENT):
            return False
        raise
    if not _still_a_pipe(fd):
        os.close(fd)
        return False
    try:
        os.write(fd, (line + "\n").encode())
    except OSError:
        pass  # the reader left already: it was there, which is the proof
    finally:
        os.close(fd)
    return True


def _take(pipe: str, wait: float) -> bool:
    """Open the pipe for reading a moment and drain it: True when a writer sent bytes (a handler
    that opened it for writing). Opening the reading end is also what lets such a handler, which
    waits for a reader, go on."""
    try:
        fd = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    if not _still_a_pipe(fd):
        os.close(fd)
        return False
    wrote = False
    try:
        if select.select([fd], [], [], wait)[0]:
            while chunk := os.read(fd, 65536):
                wrote = True
                if len(chunk) < 65536:
                    break
    except OSError:
        pass  # BlockingIOError: a writer is there with nothing sent yet
    finally:
        os.close(fd)
    return wrote


def release(pipe: str) -> None:
    """Let go of a handler still waiting on the pipe: a reader gets end-of-file, a writer a reader
    that leaves at once (what it wrote is dropped)."""
    if not is_pipe(pipe):
        return
    try:
        fd = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
    except OSError:
        pass  # no reader
    _take(pipe, 0.0)


# How often a look for a reader is a look for a writer instead.
TAKE_EVERY = 8


def watched(pipe: str, line: str, send: Callable[[], T]) -> tuple[T, bool]:
    """`send()`'s result, and whether the app opened the pipe while it ran: for reading (it was
    handed `line`) or for writing (it sent bytes)."""
    if not is_pipe(pipe):  # replaced by a file since the run began: no proof can come from it
        return send(), False
    stop = threading.Event()
    opened: list[bool] = []

    def look() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                if _offer(pipe, line) or (n % TAKE_EVERY == 0 and _take(pipe, POLL)):
                    opened.append(True)
                    return
            except OSError:
                return
            stop.wait(POLL)

    watcher = threading.Thread(target=look, daemon=True)
    watcher.start()
    try:
        result = send()
    finally:
        stop.set()
        watcher.join(1.0)
        release(pipe)
    return result, bool(opened)
