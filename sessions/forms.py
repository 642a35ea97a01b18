"""Forms of the sessions app. They validate input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from councilportal.models import Agency, Council, Organ, Term
from councilportal.typing import User
from councilportal.web.forms import (
    DateInput,
    EditConflictMixin,
    ModelMultipleChoiceField,
    ScopedModelForm,
    label_choices,
    model_choice,
)

from .models import (
    AgendaItem,
    Choice,
    ConfidenceRating,
    ConfidenceVote,
    Majority,
    Meeting,
    Presence,
    Session,
)


class SessionForm(ScopedModelForm):
    date_fields = (
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "request_date",
        "dossier_sent_on",
    )

    class Meta:
        model = Session
        fields = [
            "council",
            "term",
            "ordinal",
            "kind",
            "title",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "venue",
            "is_public",
            "chair_name",
            "secretary_name",
            "dossier_sent_on",
            "requested_by",
            "request_date",
            "requesting_delegates",
            "published",
        ]

    def narrow_choices(self) -> None:
        councils = self.editable_councils()
        model_choice(self, "council").queryset = councils
        model_choice(self, "term").queryset = Term.objects.filter(
            council__in=councils
        ).select_related("council")
        label_choices(self, "term", lambda t: f"{t.council} — {t}")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The closing cannot be before the opening."))
        start, end = data.get("actual_start"), data.get("actual_end")
        if start and end and end < start:
            self.add_error("actual_end", _("The closing cannot be before the opening."))
        return data


class AgendaItemForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "kind",
            "title",
            "presenter",
            "sitting",
            "starts_at",
            "ends_at",
            "is_public",
            "summary",
            "conclusion",
            "published",
        ]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "conclusion": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "sitting").queryset = session.sittings.all()
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The end time must be after the start time."))
        return data


class SittingForm(forms.Form):
    date = forms.DateField(label=_("Sitting day"), widget=DateInput())


class AttendanceForm(forms.Form):
    """One row per delegate: presence and, for an absence, the reason."""

    def __init__(
        self, *args: Any, delegates: list[Any], initial_rows: dict[int, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.delegates = delegates
        for delegate in delegates:
            record = initial_rows.get(delegate.pk)
            self.fields[f"p{delegate.pk}"] = forms.ChoiceField(
                label=delegate.full_name,
                choices=Presence.choices,
                initial=record.presence if record else Presence.PRESENT,
                # The table shows no <label>: each control names its delegate for screen
                # readers (WCAG 4.1.2; axe-core "select-name" and "label").
                widget=forms.Select(
                    attrs={
                        "class": "form-select form-select-sm",
                        "aria-label": _("Attendance of %(name)s") % {"name": delegate.full_name},
                    }
                ),
            )
            self.fields[f"r{delegate.pk}"] = forms.CharField(
                label=_("Reason"),
                required=False,
                max_length=300,
                initial=record.reason if record else "",
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm",
                        "aria-label": _("Reason for the absence of %(name)s")
                        % {"name": delegate.full_name},
                    }
                ),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for delegate in self.delegates:
            presence = data.get(f"p{delegate.pk}")
            if presence == Presence.EXCUSED and not data.get(f"r{delegate.pk}", "").strip():
                self.add_error(f"r{delegate.pk}", _("Give the reason for an absence."))
        return data

    def rows(self) -> dict[int, tuple[str, str]]:
        return {
            d.pk: (self.cleaned_data[f"p{d.pk}"], self.cleaned_data.get(f"r{d.pk}", ""))
            for d in self.delegates
        }

    def bound_rows(self) -> list[tuple[Any, Any, Any, Any]]:
        """(delegate, presence field, reason field, presence as words for a read-only page)."""
        labels = dict(Presence.choices)
        rows = []
        for d in self.delegates:
            presence = self[f"p{d.pk}"]
            rows.append((d, presence, self[f"r{d.pk}"], labels.get(presence.value(), "")))
        return rows


class VoteForm(EditConflictMixin, forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=500)
    majority = forms.ChoiceField(label=_("Majority needed"), choices=Majority.choices)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    votes_for = forms.IntegerField(label=_("For"), min_value=0, initial=0)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, initial=0)
    abstentions = forms.IntegerField(label=_("Abstain"), min_value=0, initial=0)
    roll_call = forms.BooleanField(
        label=_("Enter each delegate's choice (roll call); the tally is then their sum"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        delegates: list[Any],
        ballots: dict[int, str] | None = None,
        absent_on: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.delegates = delegates
        # absent_on(day) -> {delegate id: name} of those marked absent at that day's sitting.
        self.absent_on = absent_on
        for delegate in delegates:
            self.fields[f"b{delegate.pk}"] = forms.ChoiceField(
                label=delegate.full_name,
                choices=Choice.choices,
                required=False,
                initial=(ballots or {}).get(delegate.pk, Choice.NOT_VOTING),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
        for name in ("subject", "held_on", "votes_for", "votes_against", "abstentions"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")
        self.fields["majority"].widget.attrs["class"] = "form-select"
        self.fields["roll_call"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day = data.get("held_on")
        if data.get("roll_call") and day and self.absent_on is not None:
            for pk, name in self.absent_on(day).items():
                choice = data.get(f"b{pk}") or Choice.NOT_VOTING
                if f"b{pk}" in self.fields and choice != Choice.NOT_VOTING:
                    self.add_error(
                        f"b{pk}",
                        _("%(name)s was marked absent on %(day)s and cannot cast a ballot.")
                        % {"name": name, "day": day.strftime("%d/%m/%Y")},
                    )
        return data

    def ballots(self) -> dict[int, str] | None:
        if not self.cleaned_data.get("roll_call"):
            return None
        return {
            d.pk: self.cleaned_data.get(f"b{d.pk}") or Choice.NOT_VOTING for d in self.delegates
        }

    def ballot_fields(self) -> list[Any]:
        return [self[f"b{d.pk}"] for d in self.delegates]


class ConfidenceVoteForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = ConfidenceVote
        fields = [
            "held_on",
            "ballots_issued",
            "ballots_collected",
            "valid_ballots",
            "resolution_reference",
        ]
        widgets = {"held_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        issued, collected, valid = (
            data.get(k) for k in ("ballots_issued", "ballots_collected", "valid_ballots")
        )
        if issued is not None and collected is not None and collected > issued:
            self.add_error("ballots_collected", _("More ballots collected than issued."))
        if collected is not None and valid is not None and valid > collected:
            self.add_error("valid_ballots", _("More valid ballots than ballots collected."))
        return data


class RatingForm(forms.ModelForm):
    class Meta:
        model = ConfidenceRating
        fields = ["official_name", "post", "exempt", "exemption_reason", "high", "trust", "low"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault(
                "class", "form-check-input" if name == "exempt" else "form-control form-control-sm"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("exempt") and not (data.get("exemption_reason") or "").strip():
            self.add_error("exemption_reason", _("Give the reason for the exemption."))
        return data


# A council rates a few dozen officials (NQ 96/2023/QH15, art. 2); a posted form count above
# the cap is refused before thousands of forms are built.
RatingFormSet = forms.modelformset_factory(
    ConfidenceRating,
    form=RatingForm,
    extra=3,
    can_delete=True,
    max_num=100,
    absolute_max=100,
    validate_max=True,
)


class MilestoneForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())


class MeetingForm(ScopedModelForm):
    date_fields = ("date",)

    class Meta:
        model = Meeting
        fields = [
            "council",
            "organ",
            "kind",
            "title",
            "date",
            "venue",
            "chair_name",
            "secretary_name",
            "participant_councils",
            "participants",
            "topic",
            "summary",
            "conclusions",
            "published",
        ]
        # Refuses an id beyond 64 bits as invalid (SQLite cannot compare it): web/forms.py.
        field_classes = {"participant_councils": ModelMultipleChoiceField}
        widgets = {
            "participants": forms.Textarea(attrs={"rows": 4}),
            "topic": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "conclusions": forms.Textarea(attrs={"rows": 5}),
        }

    def narrow_choices(self) -> None:
        councils = self.editable_councils()
        model_choice(self, "council").queryset = councils
        model_choice(self, "organ").queryset = Organ.objects.filter(
            council__in=councils
        ).select_related("council", "term")
        label_choices(self, "organ", lambda o: f"{o.council} — {o} ({o.term.name})")
        model_choice(self, "participant_councils").queryset = Council.objects.visible_to(self.user)
        self.fields["participant_councils"].widget.attrs["size"] = 6


class TaskForm(forms.Form):
    content = forms.CharField(
        label=_("Task"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
    to_council = forms.ModelChoiceField(
        label=_("Council assigned"),
        queryset=Council.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    to_organ: forms.ModelChoiceField[Organ] = forms.ModelChoiceField(
        label=_("Organ assigned"),
        queryset=Organ.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    to_agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Agency assigned"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    due_date = forms.DateField(
        label=_("Deadline"), widget=DateInput(attrs={"class": "form-control"})
    )

    def __init__(self, *args: Any, meeting: Meeting, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        visible = Council.objects.visible_to(user)
        model_choice(self, "to_council").queryset = visible
        model_choice(self, "to_organ").queryset = Organ.objects.filter(
            council__in=visible
        ).select_related("council")
        model_choice(self, "to_agency").queryset = Agency.objects.filter(council__in=visible)

    def clean(self) -> dict[str, Any]:
        # Who the task is assigned to: the follow-up's own rule (`follow_up_open`).
        data = super().clean() or {}
        due = data.get("due_date")
        if due and due < self.meeting.date:
            self.add_error("due_date", _("The deadline cannot be before the meeting."))
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


# The paperless session -------------------------------------------------------------------------


class ElectronicVoteForm(forms.Form):
    """The secretariat opens an electronic vote on an item."""

    question = forms.CharField(label=_("Question put to the vote"), max_length=500)
    majority = forms.ChoiceField(
        label=_("Majority needed"), choices=Majority.choices, initial=Majority.ORDINARY
    )
    minutes = forms.IntegerField(
        label=_("Time limit (minutes)"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("Leave empty to close the vote by hand."),
    )


class BallotForm(forms.Form):
    """A delegate's choice in an electronic vote."""

    choice = forms.ChoiceField(
        label=_("Your vote"),
        choices=[(c.value, c.label) for c in (Choice.FOR, Choice.AGAINST, Choice.ABSTAIN)],
        widget=forms.RadioSelect,
    )


class SpeakingForm(forms.Form):
    """A delegate registers to speak on an item."""

    topic = forms.CharField(
        label=_("Topic of your speech"),
        max_length=300,
        help_text=_("One line: what you will speak about."),
    )


class DelegateQuestionForm(forms.Form):
    """A delegate's question before a questioning session."""

    respondent = forms.CharField(
        label=_("Person or post questioned"),
        max_length=300,
        help_text=_('e.g. "Giám đốc Sở Tài nguyên và Môi trường"'),
    )
    content = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 4}))
