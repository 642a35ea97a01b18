"""Forms of the petitions app. They validate input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from councilportal.documents.attachments import JPEG, PDF, PNG, validate_upload
from councilportal.models import Agency, Council, Organ, OrganKind
from councilportal.typing import User
from councilportal.web.forms import (
    DateInput,
    ModelMultipleChoiceField,
    ScopedModelForm,
    label_choices,
    model_choice,
)

from .models import (
    ArchiveReason,
    Channel,
    Field,
    ItemKind,
    Petition,
    ReceptionRecord,
    ReceptionSchedule,
    VoterMeeting,
    VoterRecommendation,
)

SCAN_TYPES = (PDF, JPEG, PNG)


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        widget.attrs.setdefault("class", css)


class IntakeForm(forms.Form):
    """The petition itself; its items and petitioners are formsets below it."""

    council = forms.ModelChoiceField(label=_("Council"), queryset=Council.objects.none())
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    subject = forms.CharField(
        label=pgettext_lazy("petition", "Subject"),
        max_length=300,
        help_text=_("A short subject, without the petitioner's name."),
    )
    forwarded_by = forms.CharField(label=_("Forwarded by"), max_length=300, required=False)
    is_group = forms.BooleanField(label=_("Group petition"), required=False)
    is_anonymous = forms.BooleanField(
        label=_("Anonymous"),
        required=False,
        help_text=_("No name or address, an unverifiable identity, or another person's name."),
    )
    reception: forms.ModelChoiceField[ReceptionRecord] = forms.ModelChoiceField(
        label=_("Reception record"), queryset=ReceptionRecord.objects.none(), required=False
    )
    scan = forms.FileField(
        label=_("Scan of the petition"),
        required=False,
        help_text=_("PDF, JPEG or PNG; checked by its content."),
    )
    duplicate_of: forms.ModelChoiceField[Petition] = forms.ModelChoiceField(
        label=_("Repeats petition"),
        queryset=Petition.objects.none(),
        required=False,
        help_text=_("Link a repeated petition to the first one (its count goes up)."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        councils = Council.objects.editable_by(user)
        model_choice(self, "council").queryset = councils
        model_choice(self, "reception").queryset = ReceptionRecord.objects.editable_by(user)
        model_choice(self, "duplicate_of").queryset = Petition.objects.editable_by(user).filter(
            duplicate_of__isnull=True
        )
        if councils.count() == 1:
            self.fields["council"].initial = councils.first()
        _style(self)

    def clean_scan(self) -> Any:
        upload = self.cleaned_data.get("scan")
        if upload:
            validate_upload(upload, SCAN_TYPES)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("channel") == Channel.FORWARDED and not data.get("forwarded_by"):
            self.add_error("forwarded_by", _("Name the body that forwarded the petition."))
        return data


class PetitionEditForm(ScopedModelForm):
    """Corrections after intake. The received date, items and petitioners are not edited here:
    the date drives the legal periods, and the identity is written only at intake."""

    class Meta:
        model = Petition
        fields = ["subject", "channel", "forwarded_by", "is_group", "reception"]

    def narrow_choices(self) -> None:
        model_choice(self, "reception").queryset = ReceptionRecord.objects.filter(
            council_id=self.instance.council_id
        )

    def save(self, commit: bool = True) -> Any:
        from .services import petition_search_text

        petition = super().save(commit=False)
        petition.search_text = petition_search_text(
            petition.subject, petition.forwarded_by, petition.items.all()
        )
        if commit:
            petition.save()
        return petition


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("— choose —")), *ItemKind.choices])
    field = forms.ChoiceField(label=_("Field"), choices=[("", _("— choose —")), *Field.choices])
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
    locality = forms.CharField(label=_("Locality"), max_length=200, required=False)
    accused = forms.CharField(
        label=_("Person or decision complained of"), max_length=300, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


# A petitioner's identity must not be kept by the browser's autofill and offered to whoever
# types next on a shared secretariat computer.
_NO_AUTOFILL = forms.TextInput(attrs={"autocomplete": "off"})


class PersonForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, required=False, widget=_NO_AUTOFILL
    )
    address = forms.CharField(
        label=_("Address"), max_length=300, required=False, widget=_NO_AUTOFILL
    )
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False, widget=_NO_AUTOFILL)
    id_number = forms.CharField(
        label=_("Identity number"), max_length=30, required=False, widget=_NO_AUTOFILL
    )
    is_representative = forms.BooleanField(label=_("Representative"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class BaseItemFormSet(forms.BaseFormSet):
    # Django's own wording ("Please submit at least 1 form.") speaks of forms, not of items,
    # and has no Vietnamese translation.
    default_error_messages = {
        "too_few_forms": _("Enter at least one item of the petition."),
        "too_many_forms": _("A petition has at most %(num)d items: split it into two."),
    }


class BasePersonFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": _("Enter at most %(num)d petitioners; attach the full list as a scan."),
    }


ItemFormSet = forms.formset_factory(
    ItemForm, formset=BaseItemFormSet, extra=2, min_num=1, validate_min=True, max_num=20
)
PersonFormSet = forms.formset_factory(PersonForm, formset=BasePersonFormSet, extra=3, max_num=50)


class ForwardForm(forms.Form):
    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Competent agency"), queryset=Agency.objects.none()
    )
    on = forms.DateField(label=_("Forwarded on"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, council: Council, user: User, **kwargs: Any) -> None:
        from .services import forwarding_agencies

        super().__init__(*args, **kwargs)
        agency = model_choice(self, "agency")
        agency.queryset = forwarding_agencies(council=council, by=user)
        agency.error_messages["invalid_choice"] = _(
            "Choose an active agency of this council or of a council above or below it."
        )
        if council.ancestors().exists() or council.children.exists():
            # The same name ("Thanh tra") recurs at each level: say whose it is.
            label_choices(self, "agency", lambda a: f"{a} — {a.council}")
        _style(self)


class TriageForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", "—"), *ArchiveReason.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class AnswerForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    reference = forms.CharField(label=_("Document number"), max_length=100, required=False)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 2}))
    final = forms.BooleanField(
        label=_("Final result"),
        required=False,
        initial=True,
        help_text=_("Untick for an interim reply (acceptance, progress)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class DayForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class ScheduleForm(ScopedModelForm):
    date_fields = ("date",)

    class Meta:
        model = ReceptionSchedule
        fields = ["council", "date", "place", "receivers", "note"]

    def narrow_choices(self) -> None:
        model_choice(self, "council").queryset = self.editable_councils()


class RecordForm(ScopedModelForm):
    date_fields = ("date",)

    class Meta:
        model = ReceptionRecord
        fields = ["council", "schedule", "date", "received_by", "citizens", "is_group", "summary"]

    def narrow_choices(self) -> None:
        model_choice(self, "council").queryset = self.editable_councils()
        model_choice(self, "schedule").queryset = ReceptionSchedule.objects.editable_by(self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        schedule, council = data.get("schedule"), data.get("council")
        if schedule and council and schedule.council_id != council.pk:
            self.add_error("schedule", _("Choose a reception day of the same council."))
        return data


class VoterMeetingForm(ScopedModelForm):
    date_fields = ("date",)

    class Meta:
        model = VoterMeeting
        fields = [
            "council",
            "session",
            "timing",
            "delegate_group",
            "electoral_unit",
            "place",
            "date",
            "delegates_attending",
            "voters_attending",
            "published",
        ]

    def narrow_choices(self) -> None:
        from sessions.models import Session

        model_choice(self, "council").queryset = self.editable_councils()
        model_choice(self, "session").queryset = Session.objects.editable_by(
            self.user
        ).select_related("term")
        model_choice(self, "delegate_group").queryset = Organ.objects.editable_by(self.user).filter(
            kind=OrganKind.DELEGATE_GROUP
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        session, council = data.get("session"), data.get("council")
        if session and council and session.council_id != council.pk:
            self.add_error("session", _("Choose a session of the same council."))
        return data


class RecommendationForm(ScopedModelForm):
    """A voters' recommendation, its forwarding and the agency's answer: saving opens or moves
    its core follow-up and answer (`services.recommendation_track`)."""

    date_fields = ("forwarded_on", "answered_on")
    forwarded_on = forms.DateField(label=capfirst(_("forwarded on")), required=False)
    answer_reference = forms.CharField(
        label=capfirst(_("answer document")), max_length=100, required=False
    )
    answered_on = forms.DateField(label=capfirst(_("answered on")), required=False)
    answer_summary = forms.CharField(
        label=capfirst(_("answer")), required=False, widget=forms.Textarea
    )

    class Meta:
        model = VoterRecommendation
        fields = [
            "council",
            "session",
            "content",
            "field",
            "committee",
            "agency",
            "locality",
            "meetings",
            "times_raised",
            "forwarded_on",
            "answer_reference",
            "answered_on",
            "answer_summary",
            "outcome",
            "answer_published",
        ]
        # Refuses an id beyond 64 bits as invalid (SQLite cannot compare it): web/forms.py.
        field_classes = {"meetings": ModelMultipleChoiceField}

    # The forwarding and the answer where they were (declared fields come last otherwise).
    field_order = Meta.fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rec = self.instance
        if rec.pk and not self.is_bound:
            for name in ("forwarded_on", "answer_reference", "answered_on", "answer_summary"):
                self.initial.setdefault(name, getattr(rec, name))

    def narrow_choices(self) -> None:
        from sessions.models import Session

        model_choice(self, "council").queryset = self.editable_councils()
        model_choice(self, "session").queryset = Session.objects.editable_by(
            self.user
        ).select_related("term")
        model_choice(self, "committee").queryset = Organ.objects.editable_by(self.user).exclude(
            kind=OrganKind.DELEGATE_GROUP
        )
        model_choice(self, "agency").queryset = Agency.objects.editable_by(self.user)
        if "meetings" in self.fields:
            model_choice(self, "meetings").queryset = VoterMeeting.objects.editable_by(self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        council = data.get("council")
        for name in ("session", "agency", "committee"):
            value = data.get(name)
            if value is not None and council is not None and value.council_id != council.pk:
                self.add_error(name, _("Choose one of the same council."))
        forwarded, answered = data.get("forwarded_on"), data.get("answered_on")
        written = (data.get("answer_reference") or "").strip() or (
            data.get("answer_summary") or ""
        ).strip()
        if (answered or written) and not forwarded:
            self.add_error("answered_on", _("Record the forwarding date before the answer."))
        elif written and not answered:
            self.add_error("answered_on", _("Give the date of the answer."))
        elif answered and forwarded and answered < forwarded:
            self.add_error("answered_on", _("The answer cannot be dated before the forwarding."))
        if forwarded and "agency" in self.fields and not data.get("agency"):
            self.add_error("agency", _("Choose the agency the recommendation is forwarded to."))
        return data

    def save(self, commit: bool = True) -> VoterRecommendation:
        from .services import recommendation_track

        rec: VoterRecommendation = super().save(commit=commit)
        if commit:
            data = self.cleaned_data
            recommendation_track(
                recommendation=rec,
                forwarded_on=data.get("forwarded_on"),
                answered_on=data.get("answered_on"),
                reference=data.get("answer_reference") or "",
                summary=data.get("answer_summary") or "",
                by=self.user,
            )
        return rec


class MergeForm(forms.Form):
    others = ModelMultipleChoiceField(
        label=_("Duplicates to merge into this one"), queryset=VoterRecommendation.objects.none()
    )

    def __init__(self, *args: Any, keep: VoterRecommendation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "others").queryset = VoterRecommendation.objects.filter(
            council=keep.council, session=keep.session, merged_into__isnull=True
        ).exclude(pk=keep.pk)
        _style(self)
