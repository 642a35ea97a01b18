"""The filters of the council tree's registers."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from councilportal.models import (
    Agency,
    AgencyKind,
    Council,
    CouncilLevel,
    Delegate,
    Membership,
    Organ,
    OrganKind,
    Position,
    Term,
)
from councilportal.web.filters import CouncilChoiceFilter, ScopedFilterSet, YesNoSelect, visible
from councilportal.web.forms import DateInput


class CouncilFilter(ScopedFilterSet):
    level = df.ChoiceFilter(label=_("Level"), choices=CouncilLevel.choices)
    parent = CouncilChoiceFilter(label=_("Parent council"))
    valid_on = df.DateFilter(
        label=_("Valid on"),
        method="filter_valid_on",
        widget=DateInput(),
    )
    o = df.OrderingFilter(
        fields=(("path", "path"), ("name", "name"), ("code", "code"), ("level", "level")),
        label=_("Sort"),
    )

    class Meta:
        model = Council
        fields = ["q", "level", "parent"]

    def filter_valid_on(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.valid_on(value) if value else queryset


class TermFilter(ScopedFilterSet):
    council = CouncilChoiceFilter(label=_("Council"))
    search_fields = ("name",)
    o = df.OrderingFilter(
        fields=(("council__path", "council"), ("ordinal", "ordinal"), ("start_date", "start_date")),
        label=_("Sort"),
    )

    class Meta:
        model = Term
        fields = ["q", "council"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(name__icontains=value.strip()) if value.strip() else queryset


class OrganFilter(ScopedFilterSet):
    council = CouncilChoiceFilter(label=_("Council"))
    term = df.ModelChoiceFilter(label=_("Term"), queryset=visible(Term, related=("council",)))
    kind = df.ChoiceFilter(label=_("Kind"), choices=OrganKind.choices)
    o = df.OrderingFilter(
        fields=(("council__path", "council"), ("name", "name"), ("kind", "kind")),
        label=_("Sort"),
    )

    class Meta:
        model = Organ
        fields = ["q", "council", "term", "kind"]

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(name__icontains=value.strip()) if value.strip() else queryset


class DelegateFilter(ScopedFilterSet):
    council = CouncilChoiceFilter(label=_("Council"), field_name="term__council")
    term = df.ModelChoiceFilter(label=_("Term"), queryset=visible(Term, related=("council",)))
    delegate_group = df.ModelChoiceFilter(
        label=_("Delegate group"), queryset=visible(Organ, kind=OrganKind.DELEGATE_GROUP)
    )
    is_full_time = df.BooleanFilter(label=_("Full-time"), widget=YesNoSelect)
    in_office_on = df.DateFilter(
        label=_("In office on"),
        method="filter_in_office",
        widget=DateInput(),
    )
    o = df.OrderingFilter(
        fields=(
            ("name_sort_key", "full_name"),
            ("term__council__path", "council"),
            ("electoral_unit", "electoral_unit"),
            ("start_date", "start_date"),
        ),
        label=_("Sort"),
    )

    class Meta:
        model = Delegate
        fields = ["q", "council", "term", "delegate_group", "is_full_time"]

    def filter_in_office(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.in_office(value) if value else queryset


class MembershipFilter(ScopedFilterSet):
    council = CouncilChoiceFilter(label=_("Council"), field_name="organ__council")
    organ = df.ModelChoiceFilter(label=_("Organ"), queryset=visible(Organ))
    position = df.ChoiceFilter(label=_("Position"), choices=Position.choices)
    search_fields = ("delegate__search_text",)
    o = df.OrderingFilter(
        fields=(
            ("organ__name", "organ"),
            ("delegate__full_name", "delegate"),
            ("start_date", "start_date"),
        ),
        label=_("Sort"),
    )

    class Meta:
        model = Membership
        fields = ["q", "council", "organ", "position"]


class AgencyFilter(ScopedFilterSet):
    council = CouncilChoiceFilter(label=_("Council"))
    kind = df.ChoiceFilter(label=_("Kind"), choices=AgencyKind.choices)
    is_active = df.BooleanFilter(label=_("Active"), widget=YesNoSelect)
    o = df.OrderingFilter(
        fields=(("name", "name"), ("council__path", "council"), ("kind", "kind")),
        label=_("Sort"),
    )

    class Meta:
        model = Agency
        fields = ["q", "council", "kind", "is_active"]
