"""The base of every register's filter set: values kept in the URL, scoped choices, sorting."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from councilportal.models import (
    Council,
)
from councilportal.web.forms import CouncilChoiceField, DateInput
from councilportal.web.text import search_normalise


class YesNoSelect(forms.Select):
    """A yes / no / all select for boolean filters."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))])


def visible(
    model: Any, *, related: tuple[str, ...] = (), order: tuple[str, ...] = (), **lookups: Any
) -> Any:
    """A filter's queryset as a callable of the request: the objects of `model` its user reads
    (django-filter calls it when it builds the form, so the choices are always in scope)."""

    def queryset(request: HttpRequest | None) -> QuerySet[Any]:
        user = getattr(request, "user", None)
        if user is None:
            return model.objects.none()
        found = model.objects.visible_to(user).filter(**lookups)
        if related:
            found = found.select_related(*related)
        return found.order_by(*order) if order else found

    return queryset


class CouncilChoiceFilter(df.ModelChoiceFilter):
    """The council filter of every register: the dashboard's chooser (a short list of nearby
    councils and a box to type any other by code or name), among the councils the user reads."""

    field_class = CouncilChoiceField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", visible(Council))
        super().__init__(*args, **kwargs)


class YearField(forms.IntegerField):
    """A year typed in a filter: a whole number between 1900 and 2200 (anything else, such as
    -1 or twenty nines, is refused with a message instead of reaching the database)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2200)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Enter a year as four digits, e.g. 2024."),
                "min_value": _("Enter a year from 1900 to 2200."),
                "max_value": _("Enter a year from 1900 to 2200."),
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        text = "" if value in self.empty_values else str(value).strip()
        if len(text) > 8:  # int() of a huge string is slow and no year is that long
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(text)


class YearFilter(df.NumberFilter):
    """The year filter of the registers (a date's year, or a year column)."""

    field_class = YearField


# Above this many options, a filter on records of a council (terms, sessions, organs…) lists
# only those of the chosen council: a national user's page would otherwise list them all.
MAX_OPTIONS = 200


class ScopedFilterSet(df.FilterSet):
    """A filter set whose council choices are the user's visible councils; `q` searches the
    record's accent-free `search_text` (or the fields listed in `search_fields`)."""

    q = df.CharFilter(label=_("Search"), method="filter_search")
    # Set by the dashboard's links, not chosen in the panel: a hidden field (its select of
    # every council would cost a query on every list page) shown as a removable chip.
    within = df.ModelChoiceFilter(
        label=_("Council and those below it"),
        queryset=visible(Council),
        method="filter_within",
        widget=forms.HiddenInput,
    )
    date_from = df.DateFilter(label=_("From"), method="filter_date_from", widget=DateInput())
    date_to = df.DateFilter(label=_("To"), method="filter_date_to", widget=DateInput())
    search_fields: tuple[str, ...] = ("search_text",)
    # The record's date that the dashboard's periods count by; lists without one have no
    # from/to filters.
    date_field: str | None = None
    # How some filters name their options (default: the object's str).
    choice_labels: dict[str, Any] = {}

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        if self.date_field is None:
            self.filters.pop("date_from", None)
            self.filters.pop("date_to", None)
        if "term" in self.form.fields:
            # Every council has its "Khóa XX": name the council (14.19).
            self.form.fields["term"].label_from_instance = lambda t: f"{t.council} — {t}"
        for name, field in self.form.fields.items():
            if hasattr(field, "empty_label"):
                field.empty_label = _("All")
            if isinstance(field, forms.ModelChoiceField) and not isinstance(
                field, CouncilChoiceField
            ):
                self._shorten_choices(name, field)
            widget = field.widget
            widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else "form-control form-control-sm",
            )

    def _shorten_choices(self, name: str, field: forms.ModelChoiceField) -> None:
        """Render at most MAX_OPTIONS choices: all of them when there are few, else those of
        the chosen council (and the chosen value). Validation still takes any in scope."""
        if field.widget.is_hidden:
            return
        queryset: Any = field.queryset
        first = list(queryset[: MAX_OPTIONS + 1])
        if len(first) > MAX_OPTIONS:
            council = str(self.data.get("council") or "").strip()
            lookup = getattr(queryset, "scope_field", "council") or "pk"
            first = []
            if council.isdigit() and len(council) < 19:
                first = list(queryset.filter(**{f"{lookup}__pk": council})[:MAX_OPTIONS])
            chosen = str(self.data.get(name) or "").strip()
            if chosen.isdigit() and len(chosen) < 19 and all(str(o.pk) != chosen for o in first):
                first += list(queryset.filter(pk=chosen))
            field.help_text = gettext("Choose a council to list its choices here.")
        choices: list[tuple[Any, str]] = []
        if field.empty_label is not None:
            choices.append(("", str(field.empty_label)))
        label = self.choice_labels.get(name, field.label_from_instance)
        choices += [(obj.pk, label(obj)) for obj in first]
        field.widget.choices = choices

    def filter_within(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        """Records of a council and of every council below it (the dashboard's subtree)."""
        if not value:
            return queryset
        lookup = getattr(queryset, "scope_field", "council")
        prefix = f"{lookup}__" if lookup else ""
        return queryset.filter(**{f"{prefix}path__subtree": value.path})

    def filter_date_from(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.date_field}__gte": value}) if value else queryset

    def filter_date_to(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.date_field}__lte": value}) if value else queryset

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        needle = search_normalise(value)
        if not needle:
            return queryset
        for word in needle.split():
            queryset = queryset.filter(**{f"{self.search_fields[0]}__contains": word})
        return queryset
