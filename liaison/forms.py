"""Forms of the liaison rounds: opening a round, a report's text, a correction, a return, a
conclusion with its tasks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from councilportal.models import Council, CouncilLevel
from councilportal.typing import AnyUser
from councilportal.web.forms import DateInput, ModelMultipleChoiceField, model_choice
from resolutions.models import Field

from .models import CouncilReport, RoundScope


class Styled:
    """Bootstrap's classes on every widget, as the portal's model forms have them."""

    fields: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


class RoundForm(Styled, forms.Form):
    council = forms.ModelChoiceField(label=_("Province council"), queryset=Council.objects.none())
    title = forms.CharField(label=_("Title of the liaison meeting"), max_length=300)
    meeting_date = forms.DateField(label=_("Date of the meeting"), widget=DateInput())
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    topic = forms.CharField(
        label=_("Topic put to discussion"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    period_start = forms.DateField(
        label=_("Period from"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: the day after the previous liaison meeting."),
    )
    period_end = forms.DateField(
        label=_("Period to"), widget=DateInput(), required=False, help_text=_("Empty: today.")
    )
    scope = forms.ChoiceField(label=_("Councils asked"), choices=RoundScope.choices)
    questions = forms.CharField(
        label=_("Questions on the topic"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One question per line; each council answers them in its report."),
    )

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        councils = Council.objects.editable_by(user).filter(level=CouncilLevel.PROVINCE)
        model_choice(self, "council").queryset = councils
        if councils.count() == 1:
            self.fields["council"].initial = councils.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period cannot be before its start."))
        return data


class ReportForm(Styled, forms.ModelForm):
    """The text of a report, and an answer field for each question of the round."""

    class Meta:
        model = CouncilReport
        fields = ["assessment", "difficulties", "good_practices"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, question in enumerate(self.instance.round.question_list()):
            self.fields[f"answer_{index}"] = forms.CharField(
                label=question,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                initial=self.instance.answers.get(str(index), ""),
            )

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("answer_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("answer_")
        }


class ProposalForm(Styled, forms.Form):
    field = forms.ChoiceField(label=_("Field"), choices=Field.choices, required=False)
    text = forms.CharField(
        label=_("Proposal to the province"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("text", "").strip() and not data.get("field"):
            self.add_error("field", _("Choose the field of the proposal."))
        return data


ProposalFormSet = forms.formset_factory(ProposalForm, extra=2, max_num=30)


class CorrectionForm(Styled, forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    corrected = forms.IntegerField(label=_("Corrected value"), min_value=0, max_value=10**9)
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for the correction.")},
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for the correction."))
        return reason


class ReturnForm(Styled, forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for returning the report.")},
    )


class ConclusionForm(Styled, forms.Form):
    text = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
    councils = ModelMultipleChoiceField(
        label=_("Councils that carry it out"),
        queryset=Council.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one council.")},
    )
    due = forms.DateField(label=_("Deadline"), widget=DateInput())

    def __init__(self, *args: Any, councils: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["councils"]
        field.queryset = councils
        field.initial = list(councils)
