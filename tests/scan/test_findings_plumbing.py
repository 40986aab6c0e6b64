"""Suppression comments, fingerprints, baselines and --diff line selection."""

from __future__ import annotations

import subprocess

import pytest

from auditor.errors import AuditorError, InputError
from auditor.findings import assign_occurrences, make_fingerprint
from auditor.scan.baseline import apply_baseline, load_baseline, write_baseline
from auditor.scan.gitdiff import changed_lines
from auditor.suppress import apply_suppressions


def test_fingerprint_ignores_line_numbers_and_whitespace():
    a = make_fingerprint("r.x", "a.py", "cursor.execute(q)  ")
    assert a == make_fingerprint("r.x", "a.py", "   cursor.execute(q)")
    assert a != make_fingerprint("r.x", "b.py", "cursor.execute(q)")
    assert a != make_fingerprint("r.y", "a.py", "cursor.execute(q)")


def test_identical_snippets_get_distinct_fingerprints(make_finding):
    one, two = make_finding(line=3), make_finding(line=8)
    assign_occurrences([two, one])
    assert one.fingerprint != two.fingerprint
    moved_one, moved_two = make_finding(line=13), make_finding(line=18)
    assign_occurrences([moved_one, moved_two])
    assert (moved_one.fingerprint, moved_two.fingerprint) == (one.fingerprint, two.fingerprint)


@pytest.mark.parametrize(
    "lines, rule, suppressed",
    [
        (["x", "# auditor: ignore[express.sql.parameterize] checked", "q"], "express.sql.parameterize", True),
        (["x", "// auditor: ignore[express.*]", "q"], "express.sql.parameterize", True),
        (["x", "// auditor: ignore[sql-injection]", "q"], "express.sql.parameterize", True),
        (["x", "y", "q  # auditor: ignore"], "express.sql.parameterize", True),
        (["x", "// auditor: ignore[other.rule]", "q"], "express.sql.parameterize", False),
        (["// auditor: ignore", "x", "q"], "express.sql.parameterize", False),  # two lines above: no
    ],
)
def test_inline_suppression(make_finding, lines, rule, suppressed):
    f = make_finding(rule_id=rule, line=3, end_line=3)
    apply_suppressions([f], lines)
    assert f.suppressed is suppressed


def test_suppression_reason_is_kept(make_finding):
    f = make_finding(line=2)
    apply_suppressions([f], ["# auditor: ignore[express.sql.parameterize] id is an int from the router", "q"])
    assert f.suppression_reason == "id is an int from the router"


def test_baseline_round_trip(tmp_path, make_finding):
    old, new = make_finding(line=3), make_finding(line=7, snippet="db.query(name)")
    path = tmp_path / ".auditor-baseline.json"
    assert write_baseline(path, [old]) == 1
    apply_baseline([old, new], load_baseline(path))
    assert old.baselined and not new.baselined


@pytest.mark.parametrize("content, problem", [("{", "not valid JSON"), ("[]", "'findings' list"),
                                              ('{"findings": [{}]}', "fingerprint")])
def test_bad_baseline_names_the_file(tmp_path, content, problem):
    path = tmp_path / "base.json"
    path.write_text(content)
    with pytest.raises(InputError) as exc:
        load_baseline(path)
    assert str(path) in str(exc.value) and problem in str(exc.value)


def git(cwd, *args):
    subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@e", "PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def test_changed_lines_since_ref(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "a.py").write_text("one\ntwo\nthree\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "init")
    (tmp_path / "a.py").write_text("one\nTWO\nthree\nfour\n")
    (tmp_path / "new.py").write_text("x\n")
    changes = changed_lines(tmp_path, "HEAD")
    assert changes["a.py"] == {2, 4}
    assert changes["new.py"] is None


def test_changed_lines_bad_ref_is_a_clear_error(tmp_path):
    git(tmp_path, "init", "-q")
    with pytest.raises(AuditorError):
        changed_lines(tmp_path, "no-such-ref")
