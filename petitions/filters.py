"""Filters of the petitions registers. Search runs over the accent-free `search_text`, which
never contains a petitioner's identity."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councilportal.web.filters import CouncilChoiceFilter, ScopedFilterSet, YearFilter, YesNoSelect

from .models import (
    Channel,
    ContactTiming,
    Field,
    ItemKind,
    Outcome,
    Petition,
    PetitionItem,
    ReceptionRecord,
    ReceptionSchedule,
    RecommendationOutcome,
    VoterMeeting,
    VoterRecommendation,
)


class PetitionFilter(ScopedFilterSet):
    date_field = "received_on"  # the dashboard counts petitions received in a period
    council = CouncilChoiceFilter(label=_("Council"))
    kind = df.ChoiceFilter(
        label=_("Kind"), choices=ItemKind.choices, field_name="items__kind", distinct=True
    )
    outcome = df.ChoiceFilter(
        label=_("Triage outcome"),
        choices=Outcome.choices,
        field_name="items__outcome",
        distinct=True,
    )
    channel = df.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    overdue = df.BooleanFilter(label=_("Overdue"), method="filter_overdue", widget=YesNoSelect())
    answered = df.BooleanFilter(label=_("Answered"), method="filter_answered", widget=YesNoSelect())
    year = YearFilter(label=_("Year"), field_name="year")
    o = df.OrderingFilter(
        fields=(("received_on", "received_on"), ("number", "number"), ("subject", "subject")),
        label=_("Sort"),
    )

    class Meta:
        model = Petition
        fields = ["q", "council", "kind", "outcome", "channel", "overdue", "answered", "year"]

    def filter_answered(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        """Petitions with at least one item answered by the agency (or not)."""
        if value is None:
            return queryset
        answered = PetitionItem.objects.filter(answered_on__isnull=False).values("petition")
        return queryset.filter(pk__in=answered) if value else queryset.exclude(pk__in=answered)

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        late = Petition.objects.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)


class ScheduleFilter(ScopedFilterSet):
    council = CouncilChoiceFilter(label=_("Council"))
    year = YearFilter(label=_("Year"), field_name="date", lookup_expr="year")
    o = df.OrderingFilter(fields=(("date", "date"), ("place", "place")), label=_("Sort"))

    class Meta:
        model = ReceptionSchedule
        fields = ["q", "council", "year"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(place__icontains=value) | Q(receivers__icontains=value))


class RecordFilter(ScopedFilterSet):
    date_field = "date"
    council = CouncilChoiceFilter(label=_("Council"))
    year = YearFilter(label=_("Year"), field_name="date", lookup_expr="year")
    o = df.OrderingFilter(fields=(("date", "date"), ("citizens", "citizens")), label=_("Sort"))

    class Meta:
        model = ReceptionRecord
        fields = ["q", "council", "year"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        return queryset.filter(summary__icontains=value) if value else queryset


class VoterMeetingFilter(ScopedFilterSet):
    date_field = "date"
    council = CouncilChoiceFilter(label=_("Council"))
    timing = df.ChoiceFilter(label=_("Timing"), choices=ContactTiming.choices)
    year = YearFilter(label=_("Year"), field_name="date", lookup_expr="year")
    o = df.OrderingFilter(
        fields=(("date", "date"), ("voters_attending", "voters")), label=_("Sort")
    )

    class Meta:
        model = VoterMeeting
        fields = ["q", "council", "timing", "year"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(place__icontains=value) | Q(electoral_unit__icontains=value))


class RecommendationFilter(ScopedFilterSet):
    date_field = "session__planned_start"  # raised for the sessions held in a period
    council = CouncilChoiceFilter(label=_("Council"))
    field = df.ChoiceFilter(label=_("Field"), choices=Field.choices)
    outcome = df.ChoiceFilter(label=_("Outcome"), choices=RecommendationOutcome.choices)
    carried_over = df.BooleanFilter(
        label=_("Carried over"), method="filter_carried", widget=YesNoSelect()
    )
    forwarded = df.BooleanFilter(
        label=_("Forwarded"),
        field_name="follow_up",
        lookup_expr="isnull",
        exclude=True,
        widget=YesNoSelect(),
    )
    answered = df.BooleanFilter(label=_("Answered"), method="filter_answered", widget=YesNoSelect())
    o = df.OrderingFilter(
        fields=(("times_raised", "times_raised"), ("follow_up__sent_on", "forwarded_on")),
        label=_("Sort"),
    )

    class Meta:
        model = VoterRecommendation
        fields = ["q", "council", "field", "outcome", "carried_over", "forwarded", "answered"]

    def filter_carried(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        from .services import carried_over

        if value is None:
            return queryset
        return queryset.filter(carried_over()) if value else queryset.exclude(carried_over())

    def filter_answered(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return queryset
        from .services import answered

        return queryset.filter(answered()) if value else queryset.exclude(answered())
