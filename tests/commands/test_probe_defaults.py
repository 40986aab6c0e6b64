"""The probe's request rate when --rps is not given: fast on the user's own loopback app,
cautious on a remote target."""

from __future__ import annotations

import pytest

from auditor.commands.probe import LOOPBACK_RPS, REMOTE_RPS, default_rps


@pytest.mark.parametrize("url", [None, "http://127.0.0.1:8000", "http://localhost:3000/app", "http://[::1]:9000",
                                 "http://api.localhost:5000"])
def test_loopback_targets_get_the_fast_default(url):
    assert default_rps(url) == LOOPBACK_RPS == 0  # no cap


@pytest.mark.parametrize("url", ["https://staging.example.com", "http://10.0.0.5:8080", "http://192.168.1.2"])
def test_remote_targets_get_the_cautious_default(url):
    assert default_rps(url) == REMOTE_RPS > 0  # a cap
