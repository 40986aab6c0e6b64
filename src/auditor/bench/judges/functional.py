"""The task's functional check: its test file runs against the generated app in the sample's
own temp dir (pytest with the framework's test client, or node's test runner).

This runs code a model wrote. It runs in a throw-away directory with a clean environment (no
API keys or tokens are passed on) and a timeout; run untrusted models inside a container.
A check whose framework is not installed gives no verdict (None), never a failure."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from auditor.bench.tasks import CHECK_FILE, Task, write_files

CHECK_TIMEOUT = 90
PYTHON_MODULES = {"flask": "flask", "fastapi": "fastapi", "django": "django"}
NODE_MODULES = {"express": "express"}
SAFE_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT", "NODE_PATH", "PYTHONPATH")


@dataclass(frozen=True)
class CheckResult:
    passed: bool | None  # None: not run (no check, or its framework is not installed)
    detail: str = ""


def clean_env() -> dict[str, str]:
    """The environment for generated code: nothing but paths and locale."""
    env = {k: v for k, v in os.environ.items() if k in SAFE_ENV}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@dataclass
class FunctionalChecker:
    """Knows which runners work on this machine (asked once each)."""

    python: str = sys.executable
    _ready: dict[str, str | None] = field(default_factory=dict)  # framework -> reason it cannot run

    def unavailable(self, task: Task) -> str | None:
        """Why the task's check cannot run here, or None when it can."""
        if not task.has_check:
            return task.no_check or "no functional check"
        if task.framework not in self._ready:
            self._ready[task.framework] = self._probe(task)
        return self._ready[task.framework]

    def _probe(self, task: Task) -> str | None:
        if task.runner == "pytest":
            module = PYTHON_MODULES.get(task.framework, task.framework)
            if self.python == sys.executable:
                found = importlib.util.find_spec(module) is not None and importlib.util.find_spec("pytest") is not None
            else:
                try:
                    found = subprocess.run([self.python, "-c", f"import {module}, pytest"], capture_output=True,
                                           env=clean_env(), timeout=60).returncode == 0
                except (OSError, subprocess.TimeoutExpired):
                    found = False
            return None if found else f"{module} or pytest is not installed for {self.python}"
        node = shutil.which("node")
        if node is None:
            return "node is not installed"
        module = NODE_MODULES.get(task.framework, task.framework)
        probe = subprocess.run([node, "-e", f"require.resolve('{module}')"], capture_output=True, env=clean_env(),
                               timeout=60)
        return None if probe.returncode == 0 else f"{module} cannot be resolved by node (set NODE_PATH)"

    def run(self, task: Task, root: Path) -> CheckResult:
        """Add the check files to the sample at `root` and run the check there."""
        reason = self.unavailable(task)
        if reason is not None:
            return CheckResult(None, reason)
        assert task.check is not None
        write_files(root, {**task.check_files, CHECK_FILE[task.runner]: task.check})
        if task.runner == "pytest":
            argv = [self.python, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "--rootdir", str(root),
                    CHECK_FILE["pytest"]]
        else:
            argv = [shutil.which("node") or "node", "--test", CHECK_FILE["node"]]
        try:
            proc = subprocess.run(argv, cwd=root, capture_output=True, text=True, timeout=CHECK_TIMEOUT,
                                  env=clean_env(), stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return CheckResult(False, f"timed out after {CHECK_TIMEOUT}s")
        return CheckResult(proc.returncode == 0, _detail(proc.stdout + proc.stderr))


def _detail(output: str) -> str:
    """The informative lines of a test run: node's `error:` lines, else the last three."""
    lines = [ln.strip() for ln in output.strip().splitlines()]
    errors = []
    for i, line in enumerate(lines):
        if line.startswith("error:"):  # node's YAML block: `error: |-` continues on the next line
            errors.append(line if line != "error: |-" else "error: " + next((x for x in lines[i + 1:] if x), ""))
    return " | ".join(errors[:3] or lines[-3:])[:300]
