from __future__ import annotations

import pytest

from auditor.deps.config import DepsConfig

from .fake_services import FakeServices


@pytest.fixture
def services():
    fake = FakeServices()
    server = fake.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def config(services, tmp_path) -> DepsConfig:
    return DepsConfig.from_env(services.environ(str(tmp_path / "cache")))
