"""The OParl 1.1 API: read-only JSON for anonymous clients, public records only.

Object URLs are the objects' ids. Lists are paginated (`page`, `elementsPerPage` ≤ 100) with
`links.first/prev/self/next/last`, filtered by `created_since`, `created_until`,
`modified_since`, `modified_until` (full ISO 8601 date-times), and carry the tombstones of
deleted records after the live ones. Every answer is `application/json` with
`Access-Control-Allow-Origin: *`, an ETag of its body (a matching `If-None-Match` gets 304) and
`Cache-Control: public, max-age=60`.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_safe

from councilportal.models import Attachment, Council, GeneratedDocument

from . import objects as o
from . import publication

R = TypeVar("R", bound=HttpResponseBase)

PER_PAGE = 100
MAX_AGE = 60
FILTERS = {
    "created_since": "oparl_created__gte",
    "created_until": "oparl_created__lte",
    "modified_since": "oparl_modified__gte",
    "modified_until": "oparl_modified__lte",
}


class BadRequest(Exception):
    pass


def _headers(response: R) -> R:
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _json(request: HttpRequest, data: dict[str, Any], status: int = 200) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    response = HttpResponse(body, status=status, content_type="application/json")
    if status == 200:
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        response["ETag"] = etag
        response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponse(status=304)
            response["ETag"] = etag
            response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return _headers(response)


def api(model: type[Any] | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a view: GET/HEAD only, JSON errors, the output in Vietnamese whatever the visitor's
    language. `model` names the record a `pk` refers to (the access matrix reads it)."""

    def wrap(view: Callable[..., dict[str, Any]]) -> Callable[..., HttpResponse]:
        @require_safe
        def wrapped(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            try:
                with translation.override(settings.LANGUAGE_CODE):
                    return _json(request, view(request, **kwargs))
            except Http404:
                return _json(request, {"error": "Not found"}, status=404)
            except BadRequest as error:
                return _json(request, {"error": str(error)}, status=400)

        wrapped.model = model  # type: ignore[attr-defined]
        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return wrap


# --- Lists -----------------------------------------------------------------------------------


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise BadRequest(f"{name} must be a whole number") from error
    if value < 1:
        raise BadRequest(f"{name} must be at least 1")
    return value


def _filters(request: HttpRequest) -> dict[str, Any]:
    found = {}
    for param, lookup in FILTERS.items():
        raw = request.GET.get(param)
        if raw is None:
            continue
        try:
            value = parse_datetime(raw.replace(" ", "+"))
        except ValueError:
            value = None
        if value is None or value.tzinfo is None:
            raise BadRequest(f"{param} must be a full ISO 8601 date-time with its offset")
        found[lookup] = value
    return found


def _sources(
    kinds: list[o.Kind], council_pk: int | None, filters: dict[str, Any]
) -> list[tuple[o.Kind, QuerySet[Any], bool]]:
    """Each kind's live rows, then each kind's tombstones: (kind, queryset, is_tombstone)."""
    live, dead = [], []
    for kind in kinds:
        qs = kind.live()
        if council_pk is not None:
            qs = qs.filter(**{kind.council_field: council_pk})
        live.append((kind, qs.filter(**filters).order_by("pk"), False))
        rows = kind.tombstones()
        if rows is not None:
            if council_pk is not None:
                if kind.history_council is None:
                    continue
                rows = rows.filter(kind.history_council(council_pk))
            dead.append((kind, rows.filter(**filters).order_by("id"), True))
    return live + dead


def object_list(
    request: HttpRequest, kinds: list[o.Kind], council_pk: int | None = None
) -> dict[str, Any]:
    """A page of an external object list over one or more kinds, concatenated in a stable
    order (each kind by id, live records first, then deleted ones)."""
    per_page = min(_int_param(request, "elementsPerPage", PER_PAGE), PER_PAGE)
    page = _int_param(request, "page", 1)
    ctx = o.Ctx(request)
    sources = _sources(kinds, council_pk, _filters(request))
    counts = [qs.count() for _kind, qs, _dead in sources]
    total = sum(counts)
    start, wanted = (page - 1) * per_page, per_page
    data: list[dict[str, Any]] = []
    for (kind, qs, dead), count in zip(sources, counts, strict=True):
        if wanted <= 0:
            break
        if start >= count:
            start -= count
            continue
        rows = list(qs[start : start + wanted])
        start = 0
        wanted -= len(rows)
        if dead:
            data += [kind.tombstone(row, ctx) for row in rows]
        else:
            o.attach(rows)
            data += [kind.serialize(row, ctx) for row in rows]
    pages = max(1, math.ceil(total / per_page))
    if page > pages:
        raise Http404

    def link(number: int) -> str:
        params = {k: v for k, v in request.GET.items() if k != "page"}
        if number > 1:
            params["page"] = str(number)
        query = urlencode(params)
        return ctx.base + request.path + (f"?{query}" if query else "")

    links = {"first": link(1), "self": link(page), "last": link(pages)}
    if page > 1:
        links["prev"] = link(page - 1)
    if page < pages:
        links["next"] = link(page + 1)
    return {
        "data": data,
        "pagination": {
            "totalElements": total,
            "elementsPerPage": per_page,
            "currentPage": page,
            "totalPages": pages,
        },
        "links": links,
    }


def _body_pk(pk: int) -> int:
    get_object_or_404(publication.councils(), pk=pk)
    return pk


def body_list_view(kinds: list[o.Kind], name: str) -> Callable[..., HttpResponse]:
    @api(Council)
    def view(request: HttpRequest, pk: int) -> dict[str, Any]:
        return object_list(request, kinds, _body_pk(pk))

    view.__name__ = name
    return view


# --- Objects ---------------------------------------------------------------------------------


def one(request: HttpRequest, kind: o.Kind, pk: int) -> dict[str, Any]:
    """A public record as its object; a deleted one that was public as its tombstone; 404."""
    ctx = o.Ctx(request)
    row = kind.live().filter(pk=pk).first()
    if row is not None:
        o.attach([row])
        return kind.serialize(row, ctx)
    rows = kind.tombstones()
    dead = rows.filter(id=pk).order_by("-history_date").first() if rows is not None else None
    if dead is None:
        raise Http404
    return kind.tombstone(dead, ctx)


def object_view(kind: o.Kind, name: str) -> Callable[..., HttpResponse]:
    @api(kind.model)
    def view(request: HttpRequest, pk: int) -> dict[str, Any]:
        return one(request, kind, pk)

    view.__name__ = name
    return view


@api()
def system(request: HttpRequest) -> dict[str, Any]:
    """The entry point (OParl System)."""
    ctx = o.Ctx(request)
    return {
        "id": ctx.url("system"),
        "type": o.TYPE.format("System"),
        "oparlVersion": o.OPARL_VERSION,
        "name": "Cổng thông tin Hội đồng nhân dân",
        "body": ctx.url("body-list"),
        "website": ctx.base + "/",
    }


@api()
def bodies(request: HttpRequest) -> dict[str, Any]:
    return object_list(request, [o.BODY])


def _serve(request: HttpRequest, stored: Any, filename: str, content_type: str) -> HttpResponseBase:
    response = FileResponse(
        stored.open("rb"),
        as_attachment="download" in request.GET,
        filename=filename,
        content_type=content_type,
    )
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _headers(response)


@require_safe
def file_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The PDF of a public resolution (OParl accessUrl/downloadUrl), for anyone."""
    document = publication.documents().filter(pk=pk).first()
    if document is None:
        return _json(request, {"error": "Not found"}, status=404)
    return _serve(request, document.file, document.filename(), "application/pdf")


@require_safe
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A published file of a public record, for anyone (never an encrypted one)."""
    attachment = publication.attachments().filter(pk=pk).first()
    if attachment is None:
        return _json(request, {"error": "Not found"}, status=404)
    return _serve(request, attachment.file, attachment.original_name, attachment.content_type)


file_download.model = GeneratedDocument  # type: ignore[attr-defined]
attachment_download.model = Attachment  # type: ignore[attr-defined]
