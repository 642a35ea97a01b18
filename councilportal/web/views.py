"""The home page and the search across registers."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from councilportal.models import Agency, Council, Delegate
from councilportal.web.text import search_normalise


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Overview: the councils the user works on, with their current figures."""
    today = timezone.localdate()
    # The same dated count as the council page and the votes (Delegate.objects.in_office).
    in_office = (
        Delegate.objects.in_office(today)
        .filter(term__council=OuterRef("pk"))
        .order_by()
        .values("term__council")
        .annotate(n=Count("pk"))
        .values("n")
    )
    councils = (
        Council.objects.visible_to(request.user)
        .select_related("parent")
        .annotate(delegates_now=Coalesce(Subquery(in_office), 0))
        .order_by("path")[:50]
    )
    visible_count = Council.objects.visible_to(request.user).count()
    return render(
        request,
        "core/home.html",
        {"councils": councils, "visible_count": visible_count, "today": today},
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """One search box across the registers the user may see (accent-insensitive)."""
    query = request.GET.get("q", "").strip()[:200]
    words = search_normalise(query).split()
    results: list[tuple[Any, list[Any]]] = []
    if words:
        sources: list[tuple[Any, Any]] = [
            (Council._meta.verbose_name_plural, Council.objects.visible_to(request.user)),
            (
                Delegate._meta.verbose_name_plural,
                Delegate.objects.visible_to(request.user).select_related("term__council"),
            ),
            (
                Agency._meta.verbose_name_plural,
                Agency.objects.visible_to(request.user).select_related("council"),
            ),
        ]
        for label, qs in sources:
            for word in words:
                qs = qs.filter(search_text__contains=word)
            found = list(qs[:20])
            if found:
                results.append((label, found))
    return render(request, "core/search.html", {"query": query, "results": results})
