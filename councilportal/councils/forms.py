"""The forms of the council tree's registers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from councilportal.models import Agency, Council, Delegate, Membership, Organ, OrganKind, Term
from councilportal.web.forms import (
    ModelMultipleChoiceField,
    ScopedModelForm,
    label_choices,
    model_choice,
)


class CouncilForm(ScopedModelForm):
    date_fields = ("valid_from", "valid_to")

    class Meta:
        model = Council
        fields = [
            "name",
            "code",
            "level",
            "parent",
            "place_name",
            "administrative_name",
            "valid_from",
            "valid_to",
            "predecessors",
            "address",
            "phone",
            "email",
        ]
        # Refuses an id beyond 64 bits as invalid (SQLite cannot compare it): web/forms.py.
        field_classes = {"predecessors": ModelMultipleChoiceField}

    def narrow_choices(self) -> None:
        editable = self.editable_councils()
        model_choice(self, "parent").queryset = editable
        model_choice(self, "predecessors").queryset = Council.objects.visible_to(self.user)
        self.fields["predecessors"].widget.attrs["size"] = 6
        if self.instance.pk:
            below = self.instance.descendants()
            model_choice(self, "parent").queryset = editable.exclude(pk__in=below.values("pk"))
            predecessors = model_choice(self, "predecessors")
            assert predecessors.queryset is not None  # a model field's choices
            predecessors.queryset = predecessors.queryset.exclude(pk=self.instance.pk)
        user = self.user
        if not user.is_superuser:
            # Only a superuser creates a new top-level council; others place it in their tree.
            self.fields["parent"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parent = data.get("parent")
        level = data.get("level")
        order = {"province": 0, "district": 1, "commune": 2}
        if parent is not None and level and order.get(level, 0) <= order.get(parent.level, 0):
            self.add_error("level", _("A council must be at a lower level than its parent."))
        return data


class TermForm(ScopedModelForm):
    date_fields = ("start_date", "end_date")

    class Meta:
        model = Term
        fields = ["council", "ordinal", "name", "start_date", "end_date"]

    def narrow_choices(self) -> None:
        model_choice(self, "council").queryset = self.editable_councils()


class OrganForm(ScopedModelForm):
    date_fields = ("established_on",)

    class Meta:
        model = Organ
        fields = [
            "council",
            "term",
            "kind",
            "name",
            "abbreviation",
            "electoral_units",
            "established_on",
        ]
        widgets = {"electoral_units": forms.Textarea(attrs={"rows": 3})}

    def narrow_choices(self) -> None:
        councils = self.editable_councils()
        model_choice(self, "council").queryset = councils
        model_choice(self, "term").queryset = Term.objects.filter(
            council__in=councils
        ).select_related("council")
        label_choices(self, "term", lambda t: f"{t.council} — {t}")


class DelegateForm(ScopedModelForm):
    date_fields = ("birth_date", "start_date", "end_date")

    class Meta:
        model = Delegate
        fields = [
            "term",
            "full_name",
            "gender",
            "birth_date",
            "position",
            "electoral_unit",
            "delegate_group",
            "is_full_time",
            "start_date",
            "end_date",
            "end_reason",
            "phone",
            "email",
            "published",
        ]

    def narrow_choices(self) -> None:
        councils = self.editable_councils()
        model_choice(self, "term").queryset = Term.objects.filter(
            council__in=councils
        ).select_related("council")
        label_choices(self, "term", lambda t: f"{t.council} — {t}")
        model_choice(self, "delegate_group").queryset = Organ.objects.filter(
            council__in=councils, kind=OrganKind.DELEGATE_GROUP
        ).select_related("council")


class MembershipForm(ScopedModelForm):
    date_fields = ("start_date", "end_date")

    class Meta:
        model = Membership
        fields = ["organ", "delegate", "position", "start_date", "end_date"]

    def narrow_choices(self) -> None:
        councils = self.editable_councils()
        model_choice(self, "organ").queryset = Organ.objects.filter(
            council__in=councils
        ).select_related("council", "term")
        label_choices(self, "organ", lambda o: f"{o.council} — {o}")
        model_choice(self, "delegate").queryset = Delegate.objects.filter(
            term__council__in=councils
        ).select_related("term__council")
        label_choices(self, "delegate", lambda d: f"{d} ({d.term.council})")


class AgencyForm(ScopedModelForm):
    class Meta:
        model = Agency
        fields = [
            "council",
            "name",
            "short_name",
            "kind",
            "parent",
            "head_name",
            "address",
            "phone",
            "email",
            "is_active",
        ]

    def narrow_choices(self) -> None:
        councils = self.editable_councils()
        model_choice(self, "council").queryset = councils
        parents = Agency.objects.filter(council__in=Council.objects.visible_to(self.user))
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        model_choice(self, "parent").queryset = parents.select_related("council")
