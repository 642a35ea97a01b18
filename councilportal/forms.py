"""Forms for the core registers. Choices are limited to what the user may write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Agency, Council, Delegate, FollowUpStatus, Membership, Organ, OrganKind, Term


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy whatever the browser's language; portal.js adds a calendar
    button (the browser's own picker) next to it when JavaScript runs."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-datepicker": "1",
            "pattern": r"\d{1,2}/\d{1,2}/\d{4}",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class ScopedModelForm(forms.ModelForm):
    """A model form that knows its user; subclasses narrow their choice fields with it."""

    date_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        for name in self.date_fields:
            if name in self.fields:
                self.fields[name].widget = DateInput()
        for field in self.fields.values():
            if getattr(field, "empty_label", None) is not None:
                field.empty_label = _("— choose —")
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)
        self.narrow_choices()

    def narrow_choices(self) -> None:
        """Limit foreign-key choices to the user's scope."""

    def editable_councils(self) -> Any:
        return Council.objects.editable_by(self.user)


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

    def narrow_choices(self) -> None:
        editable = self.editable_councils()
        self.fields["parent"].queryset = editable
        self.fields["predecessors"].queryset = Council.objects.visible_to(self.user)
        self.fields["predecessors"].widget.attrs["size"] = 6
        if self.instance.pk:
            below = self.instance.descendants()
            self.fields["parent"].queryset = editable.exclude(pk__in=below.values("pk"))
            self.fields["predecessors"].queryset = self.fields["predecessors"].queryset.exclude(
                pk=self.instance.pk
            )
        user = self.user
        if not user.is_superuser:
            # Only a superuser creates a new top-level council; others place it in their tree.
            self.fields["parent"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
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
        self.fields["council"].queryset = self.editable_councils()


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
        self.fields["council"].queryset = councils
        self.fields["term"].queryset = Term.objects.filter(council__in=councils).select_related(
            "council"
        )
        self.fields["term"].label_from_instance = lambda t: f"{t.council} — {t}"


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
        ]

    def narrow_choices(self) -> None:
        councils = self.editable_councils()
        self.fields["term"].queryset = Term.objects.filter(council__in=councils).select_related(
            "council"
        )
        self.fields["term"].label_from_instance = lambda t: f"{t.council} — {t}"
        self.fields["delegate_group"].queryset = Organ.objects.filter(
            council__in=councils, kind=OrganKind.DELEGATE_GROUP
        ).select_related("council")


class MembershipForm(ScopedModelForm):
    date_fields = ("start_date", "end_date")

    class Meta:
        model = Membership
        fields = ["organ", "delegate", "position", "start_date", "end_date"]

    def narrow_choices(self) -> None:
        councils = self.editable_councils()
        self.fields["organ"].queryset = Organ.objects.filter(council__in=councils).select_related(
            "council", "term"
        )
        self.fields["organ"].label_from_instance = lambda o: f"{o.council} — {o}"
        self.fields["delegate"].queryset = Delegate.objects.filter(
            term__council__in=councils
        ).select_related("term__council")
        self.fields["delegate"].label_from_instance = lambda d: f"{d} ({d.term.council})"


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
        self.fields["council"].queryset = councils
        parents = Agency.objects.filter(council__in=Council.objects.visible_to(self.user))
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents.select_related("council")


class FollowUpAnswerForm(forms.Form):
    """An answer or progress report on a follow-up."""

    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    reference = forms.CharField(label=_("Document number"), max_length=100, required=False)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault("class", "form-select" if select else "form-control")


class DashboardForm(forms.Form):
    """The dashboard's selectors: which council, with or without those below, which period."""

    council = forms.ModelChoiceField(label=_("Council"), queryset=Council.objects.none())
    below = forms.BooleanField(label=_("With the councils below"), required=False)
    period = forms.ChoiceField(label=_("Period"), choices=[])
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from .dashboard import PERIOD_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = Council.objects.visible_to(user).order_by("path")
        self.fields["council"].empty_label = None
        self.fields["period"].choices = PERIOD_CHOICES
        for name, field in self.fields.items():
            css = "form-check-input" if name == "below" else "form-control form-control-sm"
            if isinstance(field.widget, forms.Select):
                css = "form-select form-select-sm"
            field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == "custom":
            start, end = data.get("date_from"), data.get("date_to")
            if not start or not end:
                raise ValidationError(_("Enter both dates of a custom period."))
            if end < start:
                raise ValidationError(_("The end of the period cannot be before its start."))
            if (end - start).days > 366 * 20:
                raise ValidationError(_("Choose a period of at most twenty years."))
        return data
