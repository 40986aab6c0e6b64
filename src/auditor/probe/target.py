"""The app under test: attached (`--url`) or started (`--start CMD --port N`).

A started app runs in its own process group (a new session), so stopping it stops every
process it spawned (a reloader, workers, `npm` and its `node`). Stopping is SIGTERM to the
group, then SIGKILL after a short grace; it runs at the end, on error and on Ctrl-C.

With --start the probe also creates the traversal canary: a file with a random name and
random content beside the app (with copies under usual suffixes, for handlers that add their
own extension), deleted when the target stops. Traversal payloads name only that file (or,
against a running app, the app's own static files)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from auditor.errors import AuditorError

STATIC_DIRS = ("static", "public", "assets")
STATIC_EXTS = (".css", ".js", ".txt", ".svg", ".html")
# A handler that appends its own extension to the name it is given (`DIR + name + '.yaml'`, a
# view engine's `render(name)`) opens the canary's path with that suffix: copies of the canary
# under the usual ones answer it, at no extra request.
SUFFIXED_COPIES = (".json", ".yaml", ".yml", ".xml", ".md", ".html", ".txt", ".log", ".csv", ".ejs", ".pug",
                   ".hbs")


@dataclass
class Target:
    base_url: str
    project: Path
    command: str | None = None
    startup_timeout: float = 30.0
    process: subprocess.Popen[bytes] | None = None
    canary_file: Path | None = None
    canary_content: str = ""
    canary_pipe: Path | None = None  # a named pipe beside it, for blind reads (checks/pipe.py)
    canary_copies: list[Path] = field(default_factory=list)  # SUFFIXED_COPIES of it
    # The started app's stdout and stderr, so a failed start can say why (the last line).
    output_log: Path | None = None

    @classmethod
    def attach(cls, url: str, project: Path) -> Target:
        return cls(base_url=url.rstrip("/"), project=project)

    @classmethod
    def launch(cls, command: str, port: int, project: Path, host: str = "127.0.0.1",
               startup_timeout: float = 30.0) -> Target:
        return cls(base_url=f"http://{host}:{port}", project=project, command=command,
                   startup_timeout=startup_timeout)

    # -- lifecycle ---------------------------------------------------------------------
    def __enter__(self) -> Target:
        if self.command:
            self._make_canary()
            self._start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _make_canary(self) -> None:
        token = os.urandom(8).hex()
        self.canary_file = self.project.resolve() / f"auditor-canary-{token}.txt"
        self.canary_content = f"auditor-canary-{os.urandom(12).hex()}"
        self.canary_file.write_text(self.canary_content + "\n", encoding="utf-8")
        # An app run as another user (a sandbox's) may open it as its own user's app would,
        # for writing too: the canary is the one file such a handler may touch.
        self.canary_file.chmod(0o666)
        for suffix in SUFFIXED_COPIES:
            copy = self.canary_file.with_name(self.canary_file.name + suffix)
            copy.write_text(self.canary_content + "\n", encoding="utf-8")
            copy.chmod(0o666)
            self.canary_copies.append(copy)
        if hasattr(os, "mkfifo"):
            self.canary_pipe = self.project.resolve() / f"auditor-canary-{os.urandom(8).hex()}.pipe"
            os.mkfifo(self.canary_pipe, 0o666)
            self.canary_pipe.chmod(0o666)  # whatever the umask

    def _start(self) -> None:
        assert self.command
        if self.output_log is None:
            fd, name = tempfile.mkstemp(prefix="auditor-probe-app-", suffix=".log")
            os.close(fd)
            self.output_log = Path(name)
        try:
            with self.output_log.open("ab") as log:
                self.process = subprocess.Popen(  # the user's own start command, run as they typed it
                    self.command, shell=True, cwd=self.project, stdout=log, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL, start_new_session=True,
                )
        except OSError as exc:
            self.stop()
            raise AuditorError(f"--start {self.command!r}: {exc}") from None
        deadline = time.monotonic() + self.startup_timeout
        host, port = self._host_port()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                said = self._last_output_line()
                self.stop()
                raise AuditorError(f"--start {self.command!r}: the app exited with code {code} before answering"
                                   + (f"; its last output: {said}" if said else ""))
            try:
                with socket.create_connection((host, port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        said = self._last_output_line()
        self.stop()
        raise AuditorError(f"--start {self.command!r}: nothing answered on {self.base_url} "
                           f"within {self.startup_timeout:.0f} s" + (f"; its last output: {said}" if said else ""))

    def revive(self) -> bool:
        """Start the app again if it has exited (an input crashed it); True once it answers.
        The canary file stays; what is left of the old process group is killed first."""
        proc = self.process
        if not self.command or proc is None:
            return False
        try:  # refused connections come a moment before the exit is seen
            proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            return False  # still running: not crashed (or not ours to restart)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self._start()
        except AuditorError:  # it would not come back: stopped and cleaned up, the run goes on
            return False
        return True

    def _last_output_line(self) -> str:
        """The app's last non-blank output line (a traceback's error, a missing module), cut short."""
        if self.output_log is None:
            return ""
        try:
            with self.output_log.open("rb") as log:
                log.seek(max(0, log.seek(0, os.SEEK_END) - 4096))
                tail = log.read().decode("utf-8", "replace")
        except OSError:
            return ""
        lines = [line.strip() for line in tail.splitlines() if line.strip()]
        return lines[-1][:200] if lines else ""

    def _host_port(self) -> tuple[str, int]:
        from urllib.parse import urlsplit

        parts = urlsplit(self.base_url)
        return parts.hostname or "127.0.0.1", parts.port or 80

    def stop(self) -> None:
        """Stop the process group (if we started one) and remove the canary. Idempotent."""
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            for sig, grace in ((signal.SIGTERM, 0.6), (signal.SIGKILL, 2.0)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=grace)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if proc is not None:
            try:  # workers left in the group after the leader exited
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self.canary_file is not None:
            self.canary_file.unlink(missing_ok=True)
        for copy in self.canary_copies:
            copy.unlink(missing_ok=True)
        self.canary_copies = []
        if self.canary_pipe is not None:
            self.canary_pipe.unlink(missing_ok=True)
            self.canary_pipe = None
        if self.output_log is not None:
            self.output_log.unlink(missing_ok=True)
            self.output_log = None
            self.canary_file = None

    # -- traversal targets -------------------------------------------------------------
    def traversal_targets(self, limit: int = 3) -> list[tuple[str, str]]:
        """Files the probe may name in a traversal payload, with content it knows: the
        canary it created, or else a few of the app's own static files."""
        if self.canary_file is not None:
            pipe = [(str(self.canary_pipe), self.canary_content)] if self.canary_pipe is not None else []
            return [(str(self.canary_file), self.canary_content), *pipe]
        found: list[tuple[str, str]] = []
        for name in STATIC_DIRS:
            folder = self.project / name
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*")):
                if path.is_file() and path.suffix in STATIC_EXTS and 64 <= path.stat().st_size <= 200_000:
                    text = path.read_text(encoding="utf-8", errors="replace")
                    marker = _distinctive_line(text)
                    if marker:
                        found.append((str(path.resolve()), marker))
                if len(found) >= limit:
                    return found
        return found


def _distinctive_line(text: str) -> str:
    """The longest line of a static file: what must come back for a read to count."""
    lines = sorted((ln.strip() for ln in text.splitlines()), key=len, reverse=True)
    return lines[0][:120] if lines and len(lines[0]) >= 24 else ""
