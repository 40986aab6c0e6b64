from __future__ import annotations

import pytest

from auditor.deps.cvss import base_score, roundup, severity_for_score
from auditor.findings import Severity


@pytest.mark.parametrize(
    "vector, score",
    [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9),
        ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8),
        ("CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
        ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
    ],
)
def test_base_scores_match_the_first_calculator(vector, score):
    assert base_score(vector) == score


@pytest.mark.parametrize("vector", ["", "CVSS:2.0/AV:N", "CVSS:3.1/AV:N/AC:L", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                                    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"])
def test_malformed_or_other_versions_give_none(vector):
    assert base_score(vector) is None


def test_roundup_avoids_float_artifacts():
    assert roundup(4.000000001) == 4.0
    assert roundup(4.02) == 4.1


def test_rating_scale():
    assert severity_for_score(9.0) is Severity.CRITICAL
    assert severity_for_score(8.9) is Severity.HIGH
    assert severity_for_score(4.0) is Severity.MEDIUM
    assert severity_for_score(0.1) is Severity.LOW
    assert severity_for_score(0.0) is None
