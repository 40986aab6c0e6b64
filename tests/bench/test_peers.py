"""Peer judges: one batched run, results mapped back to the sample whose written file they
name; a peer that is missing gives no verdict. A stand-in `bandit` on PATH plays the tool."""

import os
import stat
import sys

from auditor.bench.judges.peers import SampleFiles, run_bandit, run_semgrep

FAKE_BANDIT = """#!{python}
import json, sys
files = [a for a in sys.argv[1:] if a.endswith(".py")]
with open({log!r}, "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
results = [{{"filename": f, "issue_severity": "HIGH"}} for f in files if "bad" in open(f).read()]
results += [{{"filename": f, "issue_severity": "LOW"}} for f in files if "meh" in open(f).read()]
print(json.dumps({{"results": results}}))
"""


def test_bandit_batched_and_mapped(tmp_path, monkeypatch):
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    tool = bin_dir / "bandit"
    tool.write_text(FAKE_BANDIT.format(python=sys.executable, log=str(log)))
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    samples = []
    for name, code in (("s0", "bad"), ("s1", "fine"), ("s2", "meh"), ("s3", "bad")):
        root = tmp_path / name
        root.mkdir()
        (root / "app.py").write_text(code)
        (root / "db.py").write_text("bad")  # scaffold file, not written by the model: ignored
        samples.append(SampleFiles(root, ("app.py",), "python"))
    samples.append(SampleFiles(tmp_path / "s4", ("app.js",), "javascript"))
    assert run_bandit(samples) == [True, False, False, True, None]
    assert len(log.read_text().splitlines()) == 1  # one process for the whole batch


def test_missing_peer_gives_no_verdict(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    samples = [SampleFiles(tmp_path, ("app.py",), "python")]
    assert run_bandit(samples) == [None]
    assert run_semgrep(samples, "p/default") == [None]
