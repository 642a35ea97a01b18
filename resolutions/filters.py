"""Filters of the resolutions registers: values kept in the URL, scoped choices, sorting."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councilportal.web.filters import CouncilChoiceFilter, ScopedFilterSet, YearFilter, visible
from councilportal.web.forms import DateInput
from sessions.models import Session

from .models import (
    Field,
    Issuer,
    Kind,
    LegalStatus,
    Resolution,
    Submission,
    SubmissionStatus,
    status_q,
)


class ResolutionFilter(ScopedFilterSet):
    date_field = "adopted_on"  # the dashboard counts adopted resolutions by this date
    council = CouncilChoiceFilter(label=_("Council"))
    year = YearFilter(label=_("Year"), field_name="year")
    kind = df.ChoiceFilter(label=_("Kind"), choices=Kind.choices)
    issuer = df.ChoiceFilter(label=_("Issued by"), choices=Issuer.choices)
    field = df.ChoiceFilter(label=_("Field"), choices=Field.choices)
    session = df.ModelChoiceFilter(
        label=_("Session"),
        queryset=visible(Session, related=("council", "term"), order=("-planned_start",)),
    )
    status = df.ChoiceFilter(
        label=_("Legal status"), choices=LegalStatus.choices, method="filter_status"
    )
    on = df.DateFilter(label=_("Status on"), method="filter_nothing", widget=DateInput())
    o = df.OrderingFilter(
        fields=(
            ("adopted_on", "adopted_on"),
            ("number", "number"),
            ("effective_from", "effective_from"),
            ("council__path", "council"),
            ("title", "title"),
        ),
        label=_("Sort"),
    )

    choice_labels = {"session": lambda s: f"{s.council} — {s}"}

    class Meta:
        model = Resolution
        fields = ["q", "council", "year", "kind", "issuer", "field", "session", "status", "on"]

    def filter_status(self, queryset: Any, name: str, value: str) -> Any:
        if not value:
            return queryset
        day = self.form.cleaned_data.get("on") or timezone.localdate()
        return queryset.filter(status_q(value, day))

    def filter_nothing(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset


class SubmissionFilter(ScopedFilterSet):
    council = CouncilChoiceFilter(label=_("Council"))
    status = df.ChoiceFilter(label=_("Status"), choices=SubmissionStatus.choices)
    field = df.ChoiceFilter(label=_("Field"), choices=Field.choices)
    kind = df.ChoiceFilter(label=_("Kind"), choices=Kind.choices)
    year = YearFilter(label=_("Year"), field_name="received_on", lookup_expr="year")
    o = df.OrderingFilter(
        fields=(
            ("received_on", "received_on"),
            ("verification_due", "verification_due"),
            ("title", "title"),
        ),
        label=_("Sort"),
    )

    class Meta:
        model = Submission
        fields = ["q", "council", "status", "field", "kind", "year"]
