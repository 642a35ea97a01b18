"""The agency's answer and extension request; the clerk's decisions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from councilportal.documents.attachments import validate_upload
from councilportal.models import Council, FollowUpStatus
from councilportal.web.forms import DateInput

from .models import ProposedStatus


class _Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault("class", "form-select" if select else "form-control")


class AnswerForm(_Styled):
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}))
    reply_reference = forms.CharField(
        label=_("Reply document number"), max_length=100, required=False
    )
    reply_date = forms.DateField(label=_("Reply document date"), required=False, widget=DateInput())
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)
    proposed_status = forms.ChoiceField(label=_("Proposed status"), choices=ProposedStatus.choices)
    cannot_reason = forms.CharField(
        label=_("Why it cannot be resolved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the item cannot be resolved."),
    )
    file = forms.FileField(
        label=_("Reply document (file)"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, JPEG or PNG; checked by its content."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            validate_upload(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("proposed_status") == ProposedStatus.CANNOT
            and not (data.get("cannot_reason") or "").strip()
        ):
            self.add_error("cannot_reason", _("Say why the item cannot be resolved."))
        return data


class ExtensionForm(_Styled):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    proposed_date = forms.DateField(label=_("Proposed due date"), widget=DateInput())


class AcceptForm(_Styled):
    status = forms.ChoiceField(
        label=_("Status of the item"),
        choices=[c for c in FollowUpStatus.choices if c[0] != FollowUpStatus.CANCELLED],
    )


class ReturnForm(_Styled):
    reason = forms.CharField(
        label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtensionDecisionForm(_Styled):
    due = forms.DateField(
        label=_("New due date"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: the date the agency proposed."),
    )
    note = forms.CharField(
        label=_("Note (required to refuse)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InboxFilter(_Styled):
    """The inbox's filters (kept in the URL)."""

    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", "—"), *FollowUpStatus.choices, ("overdue", _("Overdue"))],
    )
    due = forms.ChoiceField(
        label=_("Due"),
        required=False,
        choices=[
            ("", "—"),
            ("overdue", _("Overdue")),
            ("week", _("Within 7 days")),
            ("month", _("Within 30 days")),
        ],
    )
    council = forms.ModelChoiceField(
        label=_("Council"), queryset=Council.objects.none(), required=False
    )
    field = forms.ChoiceField(label=_("Field"), required=False)

    def __init__(
        self, *args: Any, kinds: list[tuple[str, str]], councils: Any, fields: list[str], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", "—"), *kinds]
        cast(forms.ModelChoiceField, self.fields["council"]).queryset = councils
        cast(forms.ChoiceField, self.fields["field"]).choices = [
            ("", "—"),
            *[(f, f) for f in fields],
        ]


class PeriodForm(_Styled):
    council = forms.ModelChoiceField(label=_("Council"), queryset=Council.objects.none())
    include_below = forms.BooleanField(label=_("With the councils below"), required=False)
    date_from = forms.DateField(label=_("From"), widget=DateInput())
    date_to = forms.DateField(label=_("To"), widget=DateInput())

    def __init__(self, *args: Any, councils: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        cast(forms.ModelChoiceField, self.fields["council"]).queryset = councils
        self.fields["include_below"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data
