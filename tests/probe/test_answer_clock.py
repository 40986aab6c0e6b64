"""Answers compared for a differential: a clock's readings are no difference."""

from __future__ import annotations

from auditor.probe.checks.canary import same
from auditor.probe.interface import Exchange


def test_a_clock_in_an_answer_is_no_difference():
    """Two answers to the same request that differ only by the time they were made (a debug
    block's timestamp and duration) compare equal; a record more does not."""
    def answer(body: str) -> Exchange:
        return Exchange("GET", "http://127.0.0.1/x", {}, "", 200, [("content-type", "application/json")], body, 0.01)

    one = '{"notes":[{"id":1}],"debug":{"timestamp":"2026-12-07T23:55:01.123Z","searchDuration":12.7,"loginTime":3}}'
    two = '{"notes":[{"id":1}],"debug":{"timestamp":"2026-12-07T23:55:02.981Z","searchDuration":3.1,"loginTime":11}}'
    more = '{"notes":[{"id":1},{"id":2}],"debug":{"timestamp":"2026-12-07T23:55:03.5Z","searchDuration":4,"loginTime":2}}'
    assert same(answer(one), answer(two), [])
    assert not same(answer(one), answer(more), [])
