"""`auditor probe`: start or attach to the app, probe it through the safety layer, report.

Ctrl-C (SIGINT) or SIGTERM ends the run at once: the app auditor started is stopped (its
whole process group), and the partial report is written before exiting with 130."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from types import FrameType

from auditor.errors import AuditorError
from auditor.findings import Severity
from auditor.progress import LazyProgress
from auditor.report import exit_code, write_report


def read_globs(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise AuditorError(f"{path}: cannot read ({exc.strerror})") from None
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def parse_identities(values: list[str]) -> list[tuple[str, dict[str, str]]]:
    """`--as NAME=Header: value` or `--as NAME=cookie=value`, in order: the first identity is
    sent with every request; the second is the other user for the IDOR check."""
    identities: list[tuple[str, dict[str, str]]] = []
    for item in values:
        name, _, cred = item.partition("=")
        if ":" in cred:
            header, _, value = cred.partition(":")
            identities.append((name, {header.strip(): value.strip()}))
        elif "=" in cred:
            identities.append((name, {"Cookie": cred.strip()}))
        else:
            raise AuditorError(f"--as {item!r}: expected NAME=Header: value or NAME=cookie=value")
    return identities


# The probe sends one request at a time, so on loopback (the user's own dev server) a rate cap
# protects nothing: it waits for each answer, as wapiti does. A remote target (--allow-remote)
# may be shared, so it gets a cautious cap.
LOOPBACK_RPS = 0.0  # no cap
REMOTE_RPS = 10.0


def default_rps(url: str | None) -> float:
    """The request rate when --rps is not given: no cap for an app on loopback (every --start
    app), REMOTE_RPS otherwise."""
    from urllib.parse import urlsplit

    from auditor.probe.safety import is_loopback

    host = urlsplit(url).hostname if url else "127.0.0.1"
    return LOOPBACK_RPS if host and is_loopback(host) else REMOTE_RPS


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run_probe_command(path: Path, url: str | None, start: str | None, port: int | None, include: list[str],
                      exclude: list[str], include_from: Path | None, max_requests: int, rps: float | None,
                      timeout: float, allow_remote: bool, allow_destructive: bool, identities: list[str],
                      format: str, output: Path | None, fail_on: Severity, html: Path | None,
                      scan_json: Path | None = None, startup_timeout: float = 30.0,
                      logins: list[str] | None = None, signup: bool = True) -> int:
    from auditor.probe.engine import ProbeConfig, run_probe
    from auditor.probe.results import to_result
    from auditor.probe.safety import Limits, SafeClient
    from auditor.probe.target import Target

    if (url is None) == (start is None):
        raise AuditorError("give exactly one of --url URL or --start CMD --port N")
    if start is not None and port is None:
        raise AuditorError("--start needs --port N (the port the app listens on)")
    if not path.is_dir():
        raise AuditorError(f"{path}: not a directory")
    static = None
    if scan_json is not None:
        from auditor.probe.confirm import load_scan

        static = load_scan(scan_json)
    from auditor.probe.login import parse_login

    recipes = [parse_login(spec) for spec in logins or []]
    if include_from is not None:
        include = [*include, *read_globs(include_from)]
    limits = Limits(rps=default_rps(url) if rps is None else rps, max_requests=max_requests, timeout=timeout,
                    allow_remote=allow_remote, allow_destructive=allow_destructive)
    target = Target.attach(url, path) if url else Target.launch(start or "", port or 0, path,
                                                                 startup_timeout=startup_timeout)
    SafeClient(target.base_url, limits).close()  # scope errors before anything starts
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    run = None
    try:
        with target:
            cfg = ProbeConfig(base_url=target.base_url, project=path, limits=limits, include=include,
                              exclude=exclude, identities=parse_identities(identities), logins=recipes,
                              traversal_targets=target.traversal_targets(), revive=target.revive, signup=signup)
            with LazyProgress("probing") as progress:
                run = run_probe(cfg, on_progress=progress.update)
    except KeyboardInterrupt:
        if run is None:
            sys.stderr.write("auditor: interrupted before the probe started\n")
            return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    result = to_result(run)
    if static is not None:
        from auditor.probe.confirm import annotate

        result = annotate(static, run, result)
    write_report(result, format, output)
    if html is not None:
        from auditor.fsutil import atomic_write
        from auditor.report.html import render_html

        atomic_write(html, render_html(result, run.base_url, [(r.method, r.url, r.status) for r in run.requests],
                                       run.partial))
    for error in run.errors:
        sys.stderr.write(f"auditor: warning: check skipped: {error}\n")
    sys.stderr.write(f"auditor: probe sent {len(run.requests)} requests to {run.base_url} over "
                     f"{len(run.routes)} routes in {run.seconds:.1f} s"
                     + (f" (stopped early: {run.partial})" if run.partial else "") + "\n")
    if run.partial == "interrupted":
        return 130
    return exit_code(result, fail_on)


def confirm_scan(paths: list[Path], url: str, format: str, output: Path | None, fail_on: Severity,
                 secrets: bool) -> int:
    """`auditor scan --confirm URL`: scan, then probe the running app at URL (default limits)
    and report the scan's findings marked confirmed / not-reproduced / not-reachable."""
    import tempfile

    from auditor.commands.scan import run_scan, scan_root

    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "scan.json"
        run_scan(paths, format="json", output=report, fail_on=fail_on, diff=None, baseline=None,
                 write_baseline=False, secrets=secrets, show_suppressed=False)
        from auditor.probe.safety import DEFAULT_MAX_REQUESTS

        return run_probe_command(scan_root(paths), url, None, None, [], [], None, max_requests=DEFAULT_MAX_REQUESTS, rps=None,
                                 timeout=10.0, allow_remote=False, allow_destructive=False, identities=[],
                                 format=format, output=output, fail_on=fail_on, html=None, scan_json=report)
