"""Filters of the sessions registers."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.utils.translation import gettext_lazy as _

from councilportal.models import Term
from councilportal.web.filters import CouncilChoiceFilter, ScopedFilterSet, YearFilter, visible

from .models import Meeting, MeetingKind, Session, SessionKind, SessionStatus


class SessionFilter(ScopedFilterSet):
    council = CouncilChoiceFilter(label=_("Council"))
    term = df.ModelChoiceFilter(label=_("Term"), queryset=visible(Term, related=("council",)))
    kind = df.ChoiceFilter(label=_("Kind"), choices=SessionKind.choices)
    status = df.ChoiceFilter(label=_("Status"), choices=SessionStatus.choices)
    year = YearFilter(label=_("Year"), field_name="planned_start", lookup_expr="year")
    date_field = "actual_start"  # held in a period: opened within it
    o = df.OrderingFilter(
        fields=(
            ("planned_start", "planned_start"),
            ("council__path", "council"),
            ("ordinal", "ordinal"),
        ),
        label=_("Sort"),
    )

    class Meta:
        model = Session
        fields = ["q", "council", "term", "kind", "status", "year"]

    def filter_search(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(title__icontains=value.strip()) if value.strip() else queryset


class MeetingFilter(ScopedFilterSet):
    council = CouncilChoiceFilter(label=_("Council"))
    kind = df.ChoiceFilter(label=_("Kind"), choices=MeetingKind.choices)
    year = YearFilter(label=_("Year"), field_name="date", lookup_expr="year")
    date_field = "date"
    o = df.OrderingFilter(fields=(("date", "date"), ("title", "title")), label=_("Sort"))

    class Meta:
        model = Meeting
        fields = ["q", "council", "kind", "year"]

    def filter_search(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(title__icontains=value.strip()) if value.strip() else queryset
