"""Sinks reported whatever the data's origin (pickle and its kin, at low) stay silent for a
value the dataflow proves is made of the program's own literals. The annotated fixture's
`ok:` lines only forbid medium and above; here those lines must carry no finding at all."""

from __future__ import annotations

from pathlib import Path

from python_scan_helpers import scan

FIXTURE = Path(__file__).parent.parent.parent / "fixtures" / "scan" / "python" / "flask" / "constant_payloads.py"


def _lines(kind: str) -> list[int]:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    return [i + 2 for i, line in enumerate(lines) if f"# {kind}: py.deserialization.untrusted" in line]


def test_literal_payloads_have_no_finding_at_any_severity():
    findings = scan(FIXTURE.read_text(encoding="utf-8"), path="app.py")
    deser = {f.line for f in findings if f.category == "insecure-deserialization"}
    ok, flagged = _lines("ok"), _lines("ruleid")
    assert ok and flagged
    assert not deser & set(ok), f"literal payloads flagged on lines {sorted(deser & set(ok))}"
    assert set(flagged) <= deser, f"missed on lines {sorted(set(flagged) - deser)}"
