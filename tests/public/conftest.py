from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _memory_cache(settings: Any) -> Iterator[None]:
    """A memory cache for these tests (the suite's is a dummy): cached pages, rate-limit counts
    and used challenges, emptied before and after each test."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "public-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()
