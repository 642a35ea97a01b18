"""Fixtures of the fault tests: processes of our own, stopped even when a test fails."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .processes import RedisServer, celery_broker


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of our own, the broker of this process's Celery app for the test."""
    server = RedisServer(tmp_path)
    server.start()
    try:
        with celery_broker(server.url):
            yield server
    finally:
        server.stop()
