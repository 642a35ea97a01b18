"""Who reaches what on the public portal: everyone, and only the records whose `.public()`
queryset holds them. A record that is not public is a 404 for every visitor, logged in or not
(its existence is not revealed). The clerks' publishing switches are ordinary object views."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

R = TypeVar("R", bound=HttpResponseBase)


def public_view(
    model: type[Model], *, queryset: Callable[[], QuerySet[Any]] | None = None
) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """A public page of one record: the record of the URL's `pk` among `model.objects.public()`
    (or `queryset()`, which must itself start from `.public()`), handed to the view; 404 when
    it is not public. The access matrix reads `view.model` and `view.public_page`."""

    def decorate(view: Callable[..., R]) -> Callable[..., R]:
        @functools.wraps(view)
        def fetching(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> R:
            records = queryset() if queryset is not None else model._default_manager.public()  # type: ignore[attr-defined]
            record = records.filter(pk=pk).first()
            if record is None:
                raise Http404
            return view(request, record, *args, **kwargs)

        fetching.model = model  # type: ignore[attr-defined]
        fetching.public_page = True  # type: ignore[attr-defined]
        return fetching

    return decorate


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A public page without a record (home, search, tracking): marked for the access matrix."""
    view.public_page = True  # type: ignore[attr-defined]
    return view
