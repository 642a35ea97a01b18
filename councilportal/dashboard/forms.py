"""The dashboard's choice of council and period."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from councilportal.models import Council
from councilportal.typing import User
from councilportal.web.forms import DateInput, model_choice, nearby_councils, resolve_council


class DashboardForm(forms.Form):
    """The dashboard's selectors: which council, with or without those below, which period.

    The council list is short whatever the size of the country (a superuser reads thousands of
    councils): the user's top councils, then the chosen council's ancestors, itself and the
    councils directly below it, so a province's communes appear once the province is chosen.
    Any other council is reached by typing its code or name in `find`, resolved here."""

    council = forms.ModelChoiceField(label=_("Council"), queryset=Council.objects.none())
    find = forms.CharField(
        label=_("Or type a council's code or name"), required=False, max_length=200
    )
    below = forms.BooleanField(label=_("With the councils below"), required=False)
    period = forms.ChoiceField(label=_("Period"), choices=[])
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        from councilportal.dashboard.board import PERIOD_CHOICES

        super().__init__(*args, **kwargs)
        visible = Council.objects.visible_to(user).order_by("path")
        self.visible = visible
        model_choice(self, "council").queryset = visible
        model_choice(self, "council").empty_label = None
        # Someone who reads several whole trees (the ministry, a superuser) may see them all.
        self.allows_all = visible.filter(parent__isnull=True).count() > 1
        if self.allows_all:
            self.fields["council"].required = False
            model_choice(self, "council").empty_label = _("All councils")
        self.fields["council"].widget.choices = self._council_choices()
        cast(forms.ChoiceField, self.fields["period"]).choices = PERIOD_CHOICES
        self.fields["find"].widget.attrs.update(
            {"placeholder": _("e.g. HY-KD or Kim Động"), "autocomplete": "off"}
        )
        for name, field in self.fields.items():
            css = "form-check-input" if name == "below" else "form-control form-control-sm"
            if isinstance(field.widget, forms.Select):
                css = "form-select form-select-sm"
            field.widget.attrs.setdefault("class", css)

    def _council_choices(self) -> list[tuple[Any, str]]:
        """The chooser's short list (`nearby_councils`), indented by depth."""
        chosen = self.data.get(self.add_prefix("council")) if self.is_bound else None
        councils = nearby_councils(self.visible, chosen)
        top = min((c.depth for c in councils), default=0)
        choices: list[tuple[Any, str]] = []
        if model_choice(self, "council").empty_label is not None:
            choices.append(("", str(model_choice(self, "council").empty_label)))
        choices += [(c.pk, "\u2003" * (c.depth - top) + c.name) for c in councils]
        return choices

    def _resolve_find(self, typed: str) -> Council:
        return resolve_council(self.visible, typed)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = (data.get("find") or "").strip()
        if typed:
            try:
                data["council"] = self._resolve_find(typed)
            except ValidationError as error:
                self.add_error("find", error)
        if data.get("period") == "custom":
            start, end = data.get("date_from"), data.get("date_to")
            if not start or not end:
                raise ValidationError(_("Enter both dates of a custom period."))
            if end < start:
                raise ValidationError(_("The end of the period cannot be before its start."))
            if (end - start).days > 366 * 20:
                raise ValidationError(_("Choose a period of at most twenty years."))
        return data
