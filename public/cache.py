"""Caching of the public pages (issue 20).

What is cached: the rendered HTML of the public pages that read many rows (a council's
calendar, the resolution register, a resolution, a session, the supervision, delegate and
questioning pages, the sitemap), in Django's cache (Redis when REDIS_URL is set), per URL and
language, for PUBLIC_CACHE_SECONDS (5 minutes). Responses also carry `Cache-Control: public,
max-age=60`, so a browser or a proxy keeps them a minute.

How it is invalidated: every key holds a generation number; saving or deleting any record the
public side shows (the models listed in PUBLISHED_MODELS, through their post_save/post_delete
signals) increments it, so the next request renders afresh. A bulk `update()` sends no signal:
it is seen within the 5 minutes of the timeout. Pages with a form (petition, tracking) are never
cached and say `no-store`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)
GENERATION_KEY = "public:generation"
PUBLISHED_MODELS = (
    "core.Council",
    "core.Term",
    "core.Organ",
    "core.Delegate",
    "core.Attachment",
    "council_sessions.Session",
    "council_sessions.AgendaItem",
    "council_sessions.Meeting",
    "resolutions.Resolution",
    "resolutions.ResolutionRelation",
    "resolutions.Submission",
    "supervision.Programme",
    "supervision.ProgrammeItem",
    "supervision.Activity",
    "supervision.Questioning",
    "supervision.IssueGroup",
    "supervision.Question",
    "petitions.VoterMeeting",
    "petitions.VoterRecommendation",
)


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def invalidate(**_kwargs: Any) -> None:
    """A public record changed: every cached public page is stale. A cache that cannot be
    reached holds nothing to invalidate, and must not fail the clerk's save."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: nothing cached under one either
        with contextlib.suppress(Exception):
            cache.add(GENERATION_KEY, 1, timeout=None)
    except Exception:  # noqa: BLE001 - Redis down
        logger.warning("The public page cache could not be invalidated.")


def connect_invalidation() -> None:
    for label in PUBLISHED_MODELS:
        model = apps.get_model(label)
        post_save.connect(invalidate, sender=model, dispatch_uid=f"public-cache-{label}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"public-cache-{label}-d")


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a GET of a public page from the cache, keyed by generation, language and URL."""

    @functools.wraps(view)
    def serving(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        try:
            key = f"public:page:{generation()}:{request.LANGUAGE_CODE}:{path}"  # type: ignore[attr-defined]
            hit = cache.get(key)
        except Exception:  # noqa: BLE001 - Redis down: the page is rendered, not cached
            logger.warning("The public page cache is unreachable.")
            key, hit = "", None
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if key and response.status_code == 200 and not response.streaming:
                with contextlib.suppress(Exception):
                    cache.set(
                        key,
                        (response.content, response["Content-Type"]),
                        settings.PUBLIC_CACHE_SECONDS,
                    )
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=60)
        return response

    for attribute in ("model", "public_page"):
        if hasattr(view, attribute):
            setattr(serving, attribute, getattr(view, attribute))
    return serving
