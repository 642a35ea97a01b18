"""Forms of the resolutions app. They validate input; the services decide."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from councilportal.models import Agency, Council, Organ, OrganKind
from councilportal.typing import User
from councilportal.web.forms import DateInput, ScopedModelForm, label_choices, model_choice
from sessions.models import AgendaItem, Session, Vote

from .models import (
    Issuer,
    Kind,
    RelationKind,
    Resolution,
    Submission,
    VerificationReport,
)


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        widget.attrs.setdefault("class", css)


class ResolutionForm(ScopedModelForm):
    """A register entry typed by a clerk: a historical document with its number, or a new
    one that takes the next number of its series."""

    date_fields = (
        "adopted_on",
        "signed_on",
        "effective_from",
        "expires_on",
        "suspended_from",
        "suspended_to",
    )
    manual_number = forms.IntegerField(
        label=_("Number (for imported documents)"),
        required=False,
        min_value=1,
        max_value=99999,
        help_text=_("Leave empty to take the next number of the series."),
    )

    class Meta:
        model = Resolution
        fields = [
            "council",
            "issuer",
            "kind",
            "manual_number",
            "title",
            "field",
            "session",
            "adopted_on",
            "signed_on",
            "signer_name",
            "effective_from",
            "shortened_procedure",
            "expires_on",
            "suspended_from",
            "suspended_to",
            "legal_bases",
            "body",
            "recipients",
            "gazette_reference",
            "published",
        ]
        widgets = {
            "legal_bases": forms.Textarea(attrs={"rows": 4}),
            "body": forms.Textarea(attrs={"rows": 8}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_manual_number:
            self.fields["manual_number"].initial = self.instance.number

    def narrow_choices(self) -> None:
        councils = self.editable_councils()
        model_choice(self, "council").queryset = councils
        model_choice(self, "session").queryset = Session.objects.filter(
            council__in=councils
        ).select_related("council", "term")
        label_choices(self, "session", lambda s: f"{s.council} — {s}")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        session, council = data.get("session"), data.get("council")
        if session is not None and council is not None and session.council_id != council.pk:
            self.add_error("session", _("The session must be of the same council."))
        return data


class SubmissionForm(ScopedModelForm):
    date_fields = ("received_on",)

    class Meta:
        model = Submission
        fields = [
            "council",
            "reference",
            "title",
            "submitted_by",
            "received_on",
            "field",
            "kind",
            "draft_text",
            "published",
        ]
        widgets = {"draft_text": forms.Textarea(attrs={"rows": 8})}

    def narrow_choices(self) -> None:
        councils = self.editable_councils()
        model_choice(self, "council").queryset = councils
        model_choice(self, "submitted_by").queryset = Agency.objects.filter(council__in=councils)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agency, council = data.get("submitted_by"), data.get("council")
        if agency is not None and council is not None and agency.council_id != council.pk:
            self.add_error("submitted_by", _("Choose an agency that works with this council."))
        return data


class VerificationStartForm(forms.Form):
    organ: forms.ModelChoiceField[Organ] = forms.ModelChoiceField(
        label=_("Committee verifying it"), queryset=Organ.objects.none()
    )
    due = forms.DateField(label=_("Verification due"), required=False, widget=DateInput())

    def __init__(self, *args: Any, submission: Submission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "organ").queryset = Organ.objects.filter(
            council_id=submission.council_id, kind__in=OrganKind.committees()
        ).select_related("term")
        label_choices(self, "organ", lambda o: f"{o} ({o.term.name})")
        _style(self)


class VerificationReportForm(forms.ModelForm):
    class Meta:
        model = VerificationReport
        fields = ["organ", "reference", "reported_on", "conclusion", "content"]
        widgets = {"reported_on": DateInput(), "content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, submission: Submission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "organ").queryset = Organ.objects.filter(
            council_id=submission.council_id, kind__in=OrganKind.committees()
        )
        if submission.verifying_organ_id:
            self.fields["organ"].initial = submission.verifying_organ_id
        _style(self)


class AgendaForm(forms.Form):
    item: forms.ModelChoiceField[AgendaItem] = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none()
    )

    def __init__(self, *args: Any, submission: Submission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "item").queryset = (
            AgendaItem.objects.filter(session__council_id=submission.council_id)
            .select_related("session__term")
            .order_by("-session__planned_start", "position")
        )
        label_choices(self, "item", lambda i: f"{i.session} — {i}")
        _style(self)


class AdoptForm(forms.Form):
    vote: forms.ModelChoiceField[Vote] = forms.ModelChoiceField(
        label=_("Vote"), queryset=Vote.objects.none()
    )
    issuer = forms.ChoiceField(label=_("Issued by"), choices=Issuer.choices, initial="council")
    effective_from = forms.DateField(
        label=_("In force from"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the earliest date the rules allow."),
    )
    shortened_procedure = forms.BooleanField(label=_("Shortened procedure"), required=False)

    def __init__(self, *args: Any, submission: Submission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "vote").queryset = Vote.objects.filter(
            item_id=submission.agenda_item_id
        ).order_by("-held_on", "-pk")
        label_choices(
            self,
            "vote",
            lambda v: f"{v.subject} — {v.held_on:%d/%m/%Y} — {v.votes_for}/{v.total_delegates}",
        )
        _style(self)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


SYMBOL = re.compile(r"^\s*(?:Số:?\s*)?0*(\d{1,5})\s*/\s*(?:(\d{4})\s*/\s*)?NQ-\S+\s*$", re.I)


class RelationForm(forms.Form):
    """A relation to another document of the register, named by its number and symbol (the
    register may hold thousands of resolutions: no select list of all of them)."""

    kind = forms.ChoiceField(label=_("This resolution"), choices=RelationKind.choices)
    target_symbol = forms.CharField(
        label=_("Number and symbol of the document affected"),
        max_length=40,
        help_text=_('e.g. "12/2023/NQ-HĐND" or "52/NQ-HĐND"'),
    )
    target_year = forms.IntegerField(
        label=_("Year (for individual resolutions)"),
        required=False,
        min_value=1990,
        max_value=2100,
    )
    target_issuer = forms.ChoiceField(
        label=_("Issued by"), choices=Issuer.choices, initial="council"
    )
    partial = forms.BooleanField(label=_("Only in part"), required=False)
    articles = forms.CharField(label=_("Articles concerned"), max_length=300, required=False)
    effective_from = forms.DateField(
        label=_("Takes effect on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty: the date this resolution takes effect."),
    )

    def __init__(self, *args: Any, source: Resolution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        _style(self)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        text = data.get("target_symbol")
        if not text:
            return data
        match = SYMBOL.match(text)
        if match is None:
            self.add_error(
                "target_symbol",
                _('Write the number and symbol as "12/2023/NQ-HĐND" or "52/NQ-HĐND".'),
            )
            return data
        number, year = int(match.group(1)), match.group(2)
        candidates = Resolution.objects.filter(
            council_id=self.source.council_id,
            issuer=data.get("target_issuer") or Issuer.COUNCIL,
            number=number,
        )
        if year:
            candidates = candidates.filter(kind=Kind.NORMATIVE, year=int(year))
        else:
            candidates = candidates.filter(kind=Kind.INDIVIDUAL)
            if data.get("target_year"):
                candidates = candidates.filter(year=data["target_year"])
        found = list(candidates[:2])
        if not found:
            self.add_error(
                "target_symbol", _("No document with this number is in the council's register.")
            )
        elif len(found) > 1:
            self.add_error("target_year", _("Several documents have this number: give the year."))
        else:
            data["target"] = found[0]
        return data


class TaskForm(forms.Form):
    content = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 2}))
    to_agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Agency assigned"), queryset=Agency.objects.none(), required=False
    )
    to_organ: forms.ModelChoiceField[Organ] = forms.ModelChoiceField(
        label=_("Organ assigned"), queryset=Organ.objects.none(), required=False
    )
    to_council = forms.ModelChoiceField(
        label=_("Council assigned"), queryset=Council.objects.none(), required=False
    )
    due_date = forms.DateField(label=_("Deadline"), widget=DateInput())

    def __init__(self, *args: Any, resolution: Resolution, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resolution = resolution
        visible = Council.objects.visible_to(user)
        model_choice(self, "to_council").queryset = visible
        model_choice(self, "to_organ").queryset = Organ.objects.filter(
            council=resolution.council
        ).select_related("term")
        model_choice(self, "to_agency").queryset = Agency.objects.filter(council=resolution.council)
        _style(self)
