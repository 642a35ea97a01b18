"""Filters of the reporting rounds' register."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.utils.translation import gettext_lazy as _

from councilportal.web.filters import CouncilChoiceFilter, ScopedFilterSet, YearFilter

from .models import ReportingRound


class RoundFilter(ScopedFilterSet):
    council = CouncilChoiceFilter(label=_("Council"))
    year = YearFilter(label=_("Year"), field_name="meeting__date", lookup_expr="year")
    date_field = "meeting__date"
    o = df.OrderingFilter(
        fields=(("meeting__date", "meeting__date"), ("deadline", "deadline")), label=_("Sort")
    )

    class Meta:
        model = ReportingRound
        fields = ["q", "council", "year"]

    def filter_search(self, queryset: Any, name: str, value: str) -> Any:
        value = value.strip()
        return queryset.filter(meeting__title__icontains=value) if value else queryset
