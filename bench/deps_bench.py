"""Benchmark: `auditor deps` on a 200-dependency npm lockfile with a warm cache.

Everything is local and repeatable: a 127.0.0.1 server answers as the npm registry and OSV
do (tests/deps/fake_services.py), one run fills the cache, then `auditor deps` runs in fresh
processes and the median wall time is reported. Target: under 1 second.

    python bench/deps_bench.py [--runs 7] [--deps 200]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "deps"))

from fake_services import FakeServices  # noqa: E402


def popular_npm(count: int) -> list[str]:
    text = (ROOT / "src" / "auditor" / "deps" / "data" / "popular-npm.txt").read_text()
    return [n for n in text.splitlines() if n and not n.startswith("#")][:count]


def build_project(directory: Path, names: list[str]) -> None:
    deps = {n: f"1.{i % 10}.{i % 7}" for i, n in enumerate(names)}
    (directory / "package.json").write_text(json.dumps({"name": "bench", "version": "1.0.0", "dependencies": deps}, indent=2))
    packages = {"": {"name": "bench", "version": "1.0.0", "dependencies": deps}}
    for n, v in deps.items():
        packages[f"node_modules/{n}"] = {"version": v, "resolved": f"https://registry.npmjs.org/{n}/-/{n.split('/')[-1]}-{v}.tgz",
                                         "integrity": "sha512-AAAA"}
    lock = {"name": "bench", "version": "1.0.0", "lockfileVersion": 3, "requires": True, "packages": packages}
    (directory / "package-lock.json").write_text(json.dumps(lock, indent=2))


def serve(services: FakeServices, names: list[str]) -> None:
    for i, n in enumerate(names):
        services.npm(n, {f"1.{i % 10}.{i % 7}": "2025-06-01T00:00:00.000Z", "2.0.0": "2026-10-01T00:00:00.000Z"},
                     downloads=1_000_000)
    services.osv({"id": "GHSA-bench-0001", "modified": "2026-01-01T00:00:00Z", "summary": "bench advisory",
                  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                  "affected": [{"package": {"ecosystem": "npm", "name": names[0]},
                                "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]}]},
                 [("npm", names[0], "1.0.0")])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--deps", type=int, default=200)
    args = parser.parse_args()
    names = popular_npm(args.deps)
    services = FakeServices()
    server = services.start()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        build_project(project, names)
        serve(services, names)
        env = {**os.environ, **services.environ(str(Path(tmp) / "cache"))}
        cmd = [sys.executable, "-m", "auditor", "deps", str(project), "--format", "json"]
        start = time.perf_counter()
        cold = subprocess.run(cmd, env=env, capture_output=True, text=True)
        cold_s = time.perf_counter() - start
        if cold.returncode not in (0, 1):
            print(cold.stderr, file=sys.stderr)
            return 2
        report = json.loads(cold.stdout)
        requests_cold = len(services.requests)
        services.requests.clear()
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - start)
    server.shutdown()
    median = statistics.median(times)
    print(f"dependencies: {args.deps} (package.json + package-lock.json), findings: {len(report['findings'])}")
    print(f"cold run (local server): {cold_s:.2f}s, {requests_cold} requests")
    print(f"warm runs: median {median:.3f}s, min {min(times):.3f}s, max {max(times):.3f}s over {args.runs} fresh processes; "
          f"requests while warm: {len(services.requests)}")
    print(f"target < 1 s: {'met' if median < 1.0 else 'MISSED'}")
    return 0 if median < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
