"""Filters of the supervision registers: values kept in the URL, scoped choices, sorting."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from councilportal.models import Agency, Organ
from councilportal.web.filters import CouncilChoiceFilter, ScopedFilterSet, YearFilter, visible

from .models import (
    Activity,
    ActivityStatus,
    Explanation,
    Programme,
    ProgrammeOwner,
    Questioning,
    QuestioningKind,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
    SupervisionForm,
)


class ProgrammeFilter(ScopedFilterSet):
    council = CouncilChoiceFilter(label=_("Council"))
    owner = df.ChoiceFilter(label=_("Programme of"), choices=ProgrammeOwner.choices)
    year = YearFilter(label=_("Year"))
    o = df.OrderingFilter(
        fields=(("year", "year"), ("title", "title"), ("council__path", "council")),
        label=_("Sort"),
    )

    class Meta:
        model = Programme
        fields = ["q", "council", "owner", "year"]


class ActivityFilter(ScopedFilterSet):
    date_field = "decision_date"
    council = CouncilChoiceFilter(label=_("Council"))
    form = df.ChoiceFilter(label=_("Form"), choices=SupervisionForm.choices)
    status = df.ChoiceFilter(label=_("Status"), choices=ActivityStatus.choices)
    organ = df.ModelChoiceFilter(label=_("Organ in charge"), queryset=visible(Organ))
    year = YearFilter(label=_("Year"), field_name="decision_date", lookup_expr="year")
    o = df.OrderingFilter(
        fields=(("decision_date", "decision_date"), ("title", "title"), ("status", "status")),
        label=_("Sort"),
    )

    class Meta:
        model = Activity
        fields = ["q", "council", "form", "status", "organ", "year"]


class RecommendationFilter(ScopedFilterSet):
    date_field = "follow_up__sent_on"
    council = CouncilChoiceFilter(label=_("Council"))
    kind = df.ChoiceFilter(label=_("Kind"), choices=RecommendationKind.choices)
    status = df.ChoiceFilter(
        label=_("Status"), choices=RecommendationStatus.choices, method="filter_status"
    )
    agency = df.ModelChoiceFilter(
        label=_("Addressed to"), queryset=visible(Agency), field_name="follow_up__to_agency"
    )
    due_before = df.DateFilter(
        label=_("Due before"), field_name="follow_up__due_date", lookup_expr="lt"
    )
    o = df.OrderingFilter(
        fields=(
            ("follow_up__due_date", "due"),
            ("follow_up__sent_on", "issued"),
            ("follow_up__progress", "progress"),
            ("follow_up__to_agency__name", "agency"),
        ),
        label=_("Sort"),
    )

    class Meta:
        model = Recommendation
        fields = ["q", "council", "kind", "status", "agency", "due_before"]

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        from councilportal.web.forms import DateInput

        self.form.fields["due_before"].widget = DateInput(
            attrs={"class": "form-control form-control-sm"}
        )

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.with_status(value) if value else queryset  # type: ignore[attr-defined]


class QuestioningFilter(ScopedFilterSet):
    date_field = "held_on"
    council = CouncilChoiceFilter(label=_("Council"))
    kind = df.ChoiceFilter(label=_("Held"), choices=QuestioningKind.choices)
    year = YearFilter(label=_("Year"), field_name="held_on", lookup_expr="year")
    o = df.OrderingFilter(fields=(("held_on", "held_on"), ("title", "title")), label=_("Sort"))

    class Meta:
        model = Questioning
        fields = ["q", "council", "kind", "year"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(title__icontains=value.strip()) if value.strip() else queryset


class ExplanationFilter(ScopedFilterSet):
    date_field = "held_on"
    council = CouncilChoiceFilter(label=_("Council"))
    organ = df.ModelChoiceFilter(label=_("Held by"), queryset=visible(Organ))
    year = YearFilter(label=_("Year"), field_name="held_on", lookup_expr="year")
    o = df.OrderingFilter(fields=(("held_on", "held_on"), ("topic", "topic")), label=_("Sort"))

    class Meta:
        model = Explanation
        fields = ["q", "council", "organ", "year"]
