"""Forms of the supervision app. Choices are limited to what the user may write; model
constraints and `clean()` give the Vietnamese errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from councilportal.documents.attachments import validate_upload
from councilportal.models import Agency, Delegate, FollowUpStatus, Organ, OrganKind
from councilportal.web.forms import (
    DateInput,
    EditConflictMixin,
    ModelMultipleChoiceField,
    ScopedModelForm,
    label_choices,
    model_choice,
)

from .models import (
    Activity,
    ActivityMember,
    Explanation,
    FieldVisit,
    IssueGroup,
    Programme,
    ProgrammeItem,
    Question,
    Questioning,
    QuestionMode,
    Satisfaction,
    SupervisedBody,
)


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if getattr(field, "empty_label", None) is not None:
            field.empty_label = _("— choose —")  # type: ignore[attr-defined]  # checked above
        if isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class ProgrammeForm(ScopedModelForm):
    date_fields = ("resolution_date",)

    class Meta:
        model = Programme
        fields = [
            "council",
            "owner",
            "organ",
            "year",
            "title",
            "resolution_number",
            "resolution_date",
            "notes",
            "published",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def narrow_choices(self) -> None:
        councils = self.editable_councils()
        model_choice(self, "council").queryset = councils
        model_choice(self, "organ").queryset = (
            Organ.objects.filter(council__in=councils)
            .exclude(kind=OrganKind.DELEGATE_GROUP)
            .select_related("term")
        )


class ProgrammeItemForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = ProgrammeItem
        fields = [
            "position",
            "topic",
            "form",
            "responsible",
            "planned_start",
            "planned_end",
            "status",
        ]
        widgets = {"planned_start": DateInput(), "planned_end": DateInput()}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        model_choice(self, "responsible").queryset = Organ.objects.filter(
            council=programme.council
        ).exclude(kind=OrganKind.DELEGATE_GROUP)
        _style(self)


class ActivityForm(ScopedModelForm):
    date_fields = ("decision_date", "period_from", "period_to", "conclusion_date")

    class Meta:
        model = Activity
        fields = [
            "council",
            "item",
            "title",
            "form",
            "organ",
            "decision_number",
            "decision_date",
            "scope",
            "plan",
            "period_from",
            "period_to",
            "status",
            "findings",
            "conclusion_number",
            "conclusion_date",
            "conclusion",
            "published",
        ]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 3}),
            "plan": forms.Textarea(attrs={"rows": 3}),
            "findings": forms.Textarea(attrs={"rows": 4}),
            "conclusion": forms.Textarea(attrs={"rows": 4}),
        }

    def narrow_choices(self) -> None:
        councils = self.editable_councils()
        model_choice(self, "council").queryset = councils
        model_choice(self, "item").queryset = ProgrammeItem.objects.filter(
            programme__council__in=councils
        ).select_related("programme")
        model_choice(self, "organ").queryset = Organ.objects.filter(council__in=councils).exclude(
            kind=OrganKind.DELEGATE_GROUP
        )


class MemberForm(forms.ModelForm):
    class Meta:
        model = ActivityMember
        fields = ["role", "delegate", "name"]

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.activity = activity
        model_choice(self, "delegate").queryset = Delegate.objects.filter(
            term__council=activity.council
        ).order_by("full_name")
        _style(self)


class BodyForm(forms.ModelForm):
    class Meta:
        model = SupervisedBody
        fields = ["agency"]

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.activity = activity
        model_choice(self, "agency").queryset = Agency.objects.filter(
            council=activity.council, is_active=True
        )
        _style(self)


class BodyReportForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = SupervisedBody
        fields = ["report_received_on", "report_reference", "report_summary"]
        widgets = {
            "report_received_on": DateInput(),
            "report_summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report_received_on"].required = True
        _style(self)

    def clean_report_received_on(self) -> Any:
        day = self.cleaned_data["report_received_on"]
        decision = self.instance.activity.decision_date
        if day and decision and day < decision:
            raise forms.ValidationError(_("The report cannot be received before the decision."))
        return day


class VisitForm(forms.ModelForm):
    class Meta:
        model = FieldVisit
        fields = ["date", "place", "agency", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.activity = activity
        model_choice(self, "agency").queryset = Agency.objects.filter(council=activity.council)
        _style(self)

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        decision = self.instance.activity.decision_date
        if day and decision and day < decision:
            raise forms.ValidationError(_("A field visit cannot be before the decision."))
        return day


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DateInput())


class RecommendationForm(forms.Form):
    """A recommendation (or commitment) addressed to one or more named agencies."""

    agencies = ModelMultipleChoiceField(
        label=_("Addressed to"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("One recommendation is recorded for each agency chosen."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}))
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    due = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args: Any, council: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "agencies").queryset = Agency.objects.filter(
            council=council, is_active=True
        )
        _style(self)

    def clean_agencies(self) -> Any:
        agencies = self.cleaned_data["agencies"]
        if not agencies:
            raise forms.ValidationError(_("Name the agency the recommendation is addressed to."))
        return agencies

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("issued_on") and data.get("due") and data["due"] < data["issued_on"]:
            self.add_error("due", _("The due date cannot be before the date it was issued."))
        return data


class ResponseForm(forms.Form):
    """The agency's response to a recommendation: a dated entry of the timeline."""

    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    reference = forms.CharField(label=_("Document number"), max_length=100, required=False)
    content = forms.CharField(
        label=_("Content of the response"), widget=forms.Textarea(attrs={"rows": 3})
    )
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (FollowUpStatus.OPEN, FollowUpStatus.OPEN.label),
            (FollowUpStatus.PARTLY_DONE, FollowUpStatus.PARTLY_DONE.label),
            (FollowUpStatus.DONE, FollowUpStatus.DONE.label),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status, progress = data.get("status"), data.get("progress")
        if status == FollowUpStatus.OPEN and progress:
            self.add_error(
                "status", _("Work has started (progress above 0%): choose “Partly done”.")
            )
        if status == FollowUpStatus.PARTLY_DONE and progress == 100:
            self.add_error("status", _("Progress is 100%: choose “Done”."))
        return data


class QuestioningForm(ScopedModelForm):
    date_fields = ("held_on",)

    class Meta:
        model = Questioning
        fields = [
            "council",
            "kind",
            "session",
            "meeting",
            "held_on",
            "title",
            "chair_name",
            "conclusion",
            "published",
        ]
        widgets = {"conclusion": forms.Textarea(attrs={"rows": 4})}

    def narrow_choices(self) -> None:
        from sessions.models import Meeting, Session

        councils = self.editable_councils()
        model_choice(self, "council").queryset = councils
        model_choice(self, "session").queryset = Session.objects.filter(
            council__in=councils
        ).select_related("term")
        model_choice(self, "meeting").queryset = Meeting.objects.filter(council__in=councils)


class IssueGroupForm(forms.ModelForm):
    class Meta:
        model = IssueGroup
        fields = ["position", "title", "criterion", "respondents"]

    def __init__(self, *args: Any, questioning: Questioning, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.questioning = questioning
        _style(self)


class QuestionForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = Question
        fields = ["group", "delegate", "respondent", "agency", "mode", "asked_on", "content"]
        widgets = {"asked_on": DateInput(), "content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, questioning: Questioning, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.questioning = questioning
        model_choice(self, "group").queryset = IssueGroup.objects.filter(questioning=questioning)
        model_choice(self, "delegate").queryset = Delegate.objects.filter(
            term__council=questioning.council
        ).order_by("full_name")
        model_choice(self, "agency").queryset = Agency.objects.filter(council=questioning.council)
        if not self.instance.pk:
            self.initial.setdefault("asked_on", questioning.held_on)
        _style(self)


class AnswerForm(forms.Form):
    """The answer to a question, recorded at a questioning. The question is chosen among all the
    council's questions so that one of another session is refused with a clear message."""

    question: forms.ModelChoiceField[Question] = forms.ModelChoiceField(
        label=_("Question"), queryset=Question.objects.none()
    )
    answer_mode = forms.ChoiceField(label=_("Answered"), choices=QuestionMode.choices)
    answered_on = forms.DateField(label=_("Answered on"), widget=DateInput())
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))
    reference = forms.CharField(label=_("Answer document number"), max_length=100, required=False)
    satisfied = forms.ChoiceField(
        label=_("Asker satisfied?"), choices=Satisfaction.choices, required=False
    )
    document = forms.FileField(
        label=_("Answer document"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, JPEG or PNG; checked by its content."),
    )

    def __init__(self, *args: Any, questioning: Questioning, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "question").queryset = Question.objects.filter(
            questioning__council=questioning.council
        ).select_related("delegate")
        label_choices(
            self, "question", lambda q: f"{q.delegate} → {q.respondent}: {q.content[:80]}"
        )
        _style(self)

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")
        if upload:
            validate_upload(upload)
        return upload


class ExplanationForm(ScopedModelForm):
    date_fields = ("held_on",)

    class Meta:
        model = Explanation
        fields = [
            "council",
            "organ",
            "item",
            "topic",
            "held_on",
            "agencies",
            "explainers",
            "conclusion_number",
            "conclusions",
        ]
        widgets = {
            "explainers": forms.Textarea(attrs={"rows": 3}),
            "conclusions": forms.Textarea(attrs={"rows": 4}),
            "agencies": forms.SelectMultiple(attrs={"size": 6}),
        }
        field_classes = {"agencies": ModelMultipleChoiceField}

    def narrow_choices(self) -> None:
        councils = self.editable_councils()
        model_choice(self, "council").queryset = councils
        model_choice(self, "organ").queryset = Organ.objects.filter(council__in=councils).exclude(
            kind=OrganKind.DELEGATE_GROUP
        )
        model_choice(self, "item").queryset = ProgrammeItem.objects.filter(
            programme__council__in=councils
        ).select_related("programme")
        model_choice(self, "agencies").queryset = Agency.objects.filter(council__in=councils)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        council = data.get("council")
        for agency in data.get("agencies") or []:
            if council and agency.council_id != council.pk:
                self.add_error("agencies", _("The agencies must belong to the same council."))
                break
        return data
