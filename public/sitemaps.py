"""The public portal's sitemap: public records only (`.public()`), with their canonical URLs."""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from councilportal.models import Council, Delegate
from resolutions.models import Resolution
from sessions.models import Session
from supervision.models import Activity, Questioning


class _PublicSitemap(Sitemap):
    limit = 5000
    route = ""
    model: Any = None
    order = ("pk",)

    def items(self) -> Any:
        return self.model.objects.public().order_by(*self.order).only("pk")

    def location(self, item: Any) -> str:
        return reverse(self.route, args=[item.pk])


class CouncilSitemap(_PublicSitemap):
    model, route = Council, "public:council-detail"


class CouncilResolutionsSitemap(_PublicSitemap):
    model, route = Council, "public:resolution-list"


class SessionSitemap(_PublicSitemap):
    route = "public:session-detail"

    def items(self) -> Any:
        return Session.objects.public().filter(council__in=Council.objects.public()).only("pk")


class ResolutionSitemap(_PublicSitemap):
    route = "public:resolution-detail"

    def items(self) -> Any:
        return (
            Resolution.objects.public()
            .filter(council__in=Council.objects.public())
            .order_by("pk")
            .only("pk")
        )


class DelegateSitemap(_PublicSitemap):
    route = "public:delegate-detail"

    def items(self) -> Any:
        return (
            Delegate.objects.public()
            .filter(term__council__in=Council.objects.public())
            .order_by("pk")
            .only("pk")
        )


class ActivitySitemap(_PublicSitemap):
    model, route = Activity, "public:activity-detail"


class QuestioningSitemap(_PublicSitemap):
    model, route = Questioning, "public:questioning-detail"


SITEMAPS = {
    "councils": CouncilSitemap,
    "registers": CouncilResolutionsSitemap,
    "sessions": SessionSitemap,
    "resolutions": ResolutionSitemap,
    "delegates": DelegateSitemap,
    "supervision": ActivitySitemap,
    "questioning": QuestioningSitemap,
}
