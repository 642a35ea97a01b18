"""Council sessions (kỳ họp) and Standing Committee meetings: agenda, attendance, votes,
confidence votes and minutes."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councilportal.models import (
    Council,
    Delegate,
    FollowUp,
    Organ,
    Rule,
    Term,
    rule,
    scoped_queryset,
)


def share(count: int, total: int) -> str:
    """ "n (xx,xx%)" of the total, as councils publish results (two decimals, comma)."""
    if not total:
        return f"{count} (—)"
    pct = (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{count} ({str(pct).replace('.', ',')}%)"


class SessionKind(models.TextChoices):
    REGULAR_MID_YEAR = "regular_mid", _("Regular mid-year session")
    REGULAR_YEAR_END = "regular_end", _("Regular year-end session")
    THEMATIC = "thematic", _("Thematic session")
    EXTRAORDINARY = "extraordinary", _("Extraordinary session")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONVENED = "convened", _("Convened")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


SESSION_FLOW = [
    SessionStatus.PLANNED,
    SessionStatus.CONVENED,
    SessionStatus.IN_PROGRESS,
    SessionStatus.CLOSED,
]


class RequestedBy(models.TextChoices):
    STANDING_COMMITTEE = "standing", _("The Standing Committee")
    COMMITTEE_CHAIR = "pc_chair", _("The chair of the People's Committee")
    DELEGATES = "delegates", _("Delegates")
    VOTERS = "voters", _("Voters (commune level)")


class SessionQuerySet(scoped_queryset("council")):  # type: ignore[misc]
    def public(self) -> SessionQuerySet:
        """Sessions shown on the public portal: published by a clerk and not held in camera."""
        return self.filter(published=True, is_public=True)


class Session(models.Model):
    """A session (kỳ họp) of a council in a term: "Kỳ họp thứ 13, Khóa XVII"."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="sessions"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="sessions"
    )
    ordinal = models.PositiveSmallIntegerField(_("number in the term"))
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    planned_start = models.DateField(_("planned opening"))
    planned_end = models.DateField(_("planned closing"))
    actual_start = models.DateField(_("opened on"), null=True, blank=True)
    actual_end = models.DateField(_("closed on"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    published = models.BooleanField(
        _("published on the public portal"),
        default=True,
        help_text=_("Shown on the public portal with its public agenda items and documents."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    requested_by = models.CharField(
        _("requested by"), max_length=20, choices=RequestedBy.choices, blank=True
    )
    request_date = models.DateField(_("request date"), null=True, blank=True)
    requesting_delegates = models.PositiveSmallIntegerField(
        _("number of delegates requesting"), null=True, blank=True
    )
    dossier_sent_on = models.DateField(_("dossier sent to delegates on"), null=True, blank=True)
    chair_name = models.CharField(_("presiding"), max_length=150, blank=True)
    secretary_name = models.CharField(_("secretary of the session"), max_length=150, blank=True)

    history = HistoricalRecords()
    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-planned_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "ordinal"],
                name="session_unique_ordinal",
                violation_error_message=_("This term already has a session with this number."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="session_planned_end_after_start",
                violation_error_message=_("The closing cannot be before the opening."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="session_actual_end_after_start",
                violation_error_message=_("The closing cannot be before the opening."),
            ),
        ]
        indexes = [
            models.Index(fields=["council", "planned_start"]),
            # The newest sessions first (lists, filters), whatever the council (issue 14.16).
            models.Index(fields=["planned_start", "id"], name="session_planned_start_idx"),
        ]

    def __str__(self) -> str:
        return f"Kỳ họp thứ {self.ordinal}, {self.term.name}"

    def get_absolute_url(self) -> str:
        return reverse("sessions:session-detail", args=[self.pk])

    @property
    def ordinal_name(self) -> str:
        """ "Kỳ họp thứ 15", to be followed by the council and the term in a sentence."""
        return f"Kỳ họp thứ {self.ordinal}"

    @property
    def opening(self) -> dt.date:
        return self.actual_start or self.planned_start

    @property
    def closing(self) -> dt.date:
        return self.actual_end or self.planned_end

    @property
    def dates_in_words(self) -> str:
        """The session's dates in a Vietnamese sentence: "ngày 15/09/2026" for a one-day
        session, "từ ngày 07/12/2023 đến ngày 09/12/2023" otherwise."""
        if self.opening == self.closing:
            return f"ngày {self.opening:%d/%m/%Y}"
        return f"từ ngày {self.opening:%d/%m/%Y} đến ngày {self.closing:%d/%m/%Y}"

    @property
    def is_closed(self) -> bool:
        return self.status == SessionStatus.CLOSED

    def delegate_total(self, on: dt.date | None = None) -> int:
        return self.council.delegate_count(on or self.opening)

    def request_reaches_threshold(self) -> bool | None:
        """For a request by delegates: whether it reaches one third of all delegates."""
        if self.requested_by != RequestedBy.DELEGATES or self.requesting_delegates is None:
            return None
        day = self.request_date or self.planned_start
        threshold = rule("session.request_by_delegates", on=day, council=self.council)
        return threshold.reached(self.requesting_delegates, self.council.delegate_count(day))

    def dossier_due(self) -> dt.date:
        lead = rule("session.dossier_lead_days", on=self.planned_start, council=self.council)
        return self.opening - dt.timedelta(days=lead.days)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.term_id and self.council_id and self.term.council_id != self.council_id:
            errors["term"] = _("The term must belong to the same council.")
        if self.term_id and self.planned_start and not self.term.contains(self.planned_start):
            errors["planned_start"] = _("The session must open within the term.")
        if self.requested_by == RequestedBy.DELEGATES and not self.requesting_delegates:
            errors["requesting_delegates"] = _("Give how many delegates signed the request.")
        if errors:
            raise ValidationError(errors)


class Sitting(models.Model):
    """A sitting day of a session (ngày họp), for attendance."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="sittings"
    )
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # The denominator of the attendance as recorded: a delegate imported later with an earlier
    # start date does not silently turn a recorded 58/60 into 58/61 (the change is flagged).
    recorded_total = models.PositiveSmallIntegerField(
        _("delegates in office when attendance was recorded"), null=True, blank=True
    )

    history = HistoricalRecords()
    objects = scoped_queryset("session__council").as_manager()

    class Meta:
        verbose_name = _("sitting day")
        verbose_name_plural = _("sitting days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "date"],
                name="sitting_unique_date",
                violation_error_message=_("This day is already a sitting day of the session."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("sessions:sitting-attendance", args=[self.pk])

    def delegate_total(self) -> int:
        """The delegates the attendance is counted against: as recorded, or (before any
        recording) the register's count on that day."""
        if self.recorded_total is not None:
            return self.recorded_total
        return self.session.council.delegate_count(self.date)


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Absent with permission")
    ABSENT = "absent", _("Absent without permission")


class Attendance(models.Model):
    """A delegate's attendance on a sitting day (điểm danh)."""

    sitting = models.ForeignKey(
        Sitting, verbose_name=_("sitting day"), on_delete=models.CASCADE, related_name="attendance"
    )
    delegate = models.ForeignKey(
        Delegate, verbose_name=_("delegate"), on_delete=models.PROTECT, related_name="attendance"
    )
    presence = models.CharField(_("attendance"), max_length=20, choices=Presence.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["sitting", "delegate"], name="attendance_unique"),
            # Only an absence with permission has a reason; "without permission" has none
            # to give by definition.
            models.CheckConstraint(
                condition=~Q(presence="excused") | ~Q(reason=""),
                name="attendance_excused_has_reason",
                violation_error_message=_("Give the reason for an absence."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegate} — {self.get_presence_display()}"


class ItemKind(models.TextChoices):
    REPORT = "report", _("Report")
    SUBMISSION = "submission", _("Submission / draft resolution")
    QUESTIONING = "questioning", _("Questioning")
    CONFIDENCE = "confidence", _("Confidence vote")
    ELECTION = "election", _("Election or dismissal")
    OTHER = "other", _("Other")


class AgendaItemQuerySet(scoped_queryset("session__council")):  # type: ignore[misc]
    def public(self) -> AgendaItemQuerySet:
        """Items shown on the public portal: published, not closed (họp kín), of a public
        session."""
        return self.filter(
            published=True, is_public=True, session__published=True, session__is_public=True
        )


class AgendaItem(models.Model):
    """An item of a session's agenda (nội dung chương trình kỳ họp)."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    title = models.CharField(_("title"), max_length=500)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    sitting = models.ForeignKey(
        Sitting,
        verbose_name=_("sitting day"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    starts_at = models.TimeField(_("from"), null=True, blank=True)
    ends_at = models.TimeField(_("to"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    published = models.BooleanField(
        _("published on the public portal"),
        default=True,
        help_text=_("A closed item (họp kín) is never shown, whatever this says."),
    )
    summary = models.TextField(_("discussion summary"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)

    history = HistoricalRecords()
    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"],
                name="agenda_item_unique_position",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="agenda_item_time_slot",
                violation_error_message=_("The end time must be after the start time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("sessions:item-detail", args=[self.pk])

    @property
    def council(self) -> Council:
        return self.session.council


class Majority(models.TextChoices):
    ORDINARY = "vote.ordinary", _("More than half of all delegates")
    RECALL = "vote.recall", _("Two thirds of all delegates (recalling a delegate)")


class Vote(models.Model):
    """A vote (biểu quyết) on an agenda item. The total of delegates on that day is stored with
    it; the result is computed, never typed."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="votes"
    )
    subject = models.CharField(_("subject"), max_length=500)
    majority = models.CharField(
        _("majority needed"), max_length=20, choices=Majority.choices, default=Majority.ORDINARY
    )
    held_on = models.DateField(_("held on"))
    total_delegates = models.PositiveSmallIntegerField(_("total delegates on that day"))
    votes_for = models.PositiveSmallIntegerField(_("for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("against"), default=0)
    abstentions = models.PositiveSmallIntegerField(_("abstain"), default=0)
    is_roll_call = models.BooleanField(_("roll-call entry per delegate"), default=False)

    history = HistoricalRecords()
    objects = scoped_queryset("item__session__council").as_manager()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    total_delegates__gte=F("votes_for") + F("votes_against") + F("abstentions")
                ),
                name="vote_parts_within_total",
                violation_error_message=_(
                    "For, against and abstain together cannot exceed the total delegates."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("sessions:vote-detail", args=[self.pk])

    @property
    def council(self) -> Council:
        return self.item.session.council

    @property
    def not_voting(self) -> int:
        return self.total_delegates - self.votes_for - self.votes_against - self.abstentions

    def threshold(self) -> Any:
        primed = getattr(self, "_threshold", None)
        if primed is not None:
            return primed
        return rule(self.majority, on=self.held_on, council=self.item.session.council)

    @staticmethod
    def prime(votes: list[Vote], council: Council) -> list[Vote]:
        """Look up the thresholds of many votes in one query (pages and documents list dozens
        of votes; one rule query each would grow with the rows)."""
        if not votes:
            return votes
        rows = list(
            Rule.objects.filter(key__in={v.majority for v in votes}).filter(
                Q(council__isnull=True) | Q(council=council)
            )
        )
        for vote in votes:
            found = [
                r
                for r in rows
                if r.key == vote.majority
                and r.valid_from <= vote.held_on
                and (r.valid_to is None or vote.held_on <= r.valid_to)
            ]
            found.sort(key=lambda r: (r.council_id is None, -r.valid_from.toordinal()))
            if found:
                vote._threshold = found[0]  # type: ignore[attr-defined]
        return votes

    @property
    def passed(self) -> bool:
        """Ordinary: for × 2 > total; recall: for × 3 ≥ total × 2 (from the rules in force)."""
        return bool(self.threshold().reached(self.votes_for, self.total_delegates))

    def shares(self) -> dict[str, str]:
        total = self.total_delegates
        return {
            "for": share(self.votes_for, total),
            "against": share(self.votes_against, total),
            "abstain": share(self.abstentions, total),
            "not_voting": share(self.not_voting, total),
        }


class Choice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")
    NOT_VOTING = "not_voting", _("Not voting")


class Ballot(models.Model):
    """One delegate's choice in a roll-call vote."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    delegate = models.ForeignKey(Delegate, on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField(_("choice"), max_length=20, choices=Choice.choices)

    class Meta:
        verbose_name = _("roll-call ballot")
        verbose_name_plural = _("roll-call ballots")
        constraints = [models.UniqueConstraint(fields=["vote", "delegate"], name="ballot_unique")]

    def __str__(self) -> str:
        return f"{self.delegate}: {self.get_choice_display()}"


class ConfidenceVote(models.Model):
    """A confidence rating vote (lấy phiếu tín nhiệm) held at a session (NQ 96/2023/QH15)."""

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="confidence_vote"
    )
    held_on = models.DateField(_("held on"))
    total_delegates = models.PositiveSmallIntegerField(_("total delegates on that day"))
    ballots_issued = models.PositiveSmallIntegerField(_("ballots issued"), default=0)
    ballots_collected = models.PositiveSmallIntegerField(_("ballots collected"), default=0)
    valid_ballots = models.PositiveSmallIntegerField(_("valid ballots"), default=0)
    resolution_reference = models.CharField(
        _("resolution confirming the results"), max_length=100, blank=True
    )

    history = HistoricalRecords()
    objects = scoped_queryset("session__council").as_manager()

    class Meta:
        verbose_name = _("confidence vote")
        verbose_name_plural = _("confidence votes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ballots_issued__lte=F("total_delegates"))
                & Q(ballots_collected__lte=F("ballots_issued"))
                & Q(valid_ballots__lte=F("ballots_collected")),
                name="confidence_ballot_counts",
                violation_error_message=_(
                    "Ballots issued cannot exceed the delegates, collected cannot exceed issued, "
                    "valid cannot exceed collected."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Lấy phiếu tín nhiệm — {self.session}"

    def get_absolute_url(self) -> str:
        return reverse("sessions:confidence-detail", args=[self.pk])

    @property
    def council(self) -> Council:
        return self.session.council

    MILESTONES = [
        ("confidence.list_fixed", _("List fixed and reports requested")),
        ("confidence.self_report", _("Self-assessments and asset declarations due")),
        ("confidence.mttq_summary", _("Fatherland Front summary of voters' opinions due")),
        ("confidence.papers_to_delegates", _("Papers sent to delegates")),
    ]

    def milestones(self) -> list[dict[str, Any]]:
        """Preparation milestones counted back from the opening, from the rules in force."""
        opening = self.session.opening
        done = {m.key: m for m in self.milestone_marks.all()}
        today = timezone.localdate()
        rows = []
        for key, label in self.MILESTONES:
            row = rule(key, on=opening, council=self.session.council)
            due = opening - dt.timedelta(days=row.days)
            mark = done.get(key)
            rows.append(
                {
                    "key": key,
                    "label": label,
                    "due": due,
                    "days": row.days,
                    "basis": row.legal_basis,
                    "done_on": mark.done_on if mark else None,
                    "late": (mark.done_on > due) if mark else today > due,
                    "days_late": max((mark.done_on - due).days, 0) if mark else 0,
                }
            )
        return rows


class ConfidenceMilestone(models.Model):
    """The date a preparation milestone of a confidence vote was done."""

    confidence_vote = models.ForeignKey(
        ConfidenceVote, on_delete=models.CASCADE, related_name="milestone_marks"
    )
    key = models.CharField(max_length=80)
    done_on = models.DateField(_("done on"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["confidence_vote", "key"], name="milestone_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.done_on:%d/%m/%Y}"


class ConfidenceRating(models.Model):
    """The tally for one official rated in a confidence vote: high / trust / low."""

    confidence_vote = models.ForeignKey(
        ConfidenceVote, on_delete=models.CASCADE, related_name="ratings"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    official_name = models.CharField(_("full name"), max_length=150)
    post = models.CharField(_("post"), max_length=300)
    exempt = models.BooleanField(_("exempt"), default=False)
    exemption_reason = models.CharField(_("reason for the exemption"), max_length=300, blank=True)
    high = models.PositiveSmallIntegerField(_("high confidence"), default=0)
    trust = models.PositiveSmallIntegerField(_("confidence"), default=0)
    low = models.PositiveSmallIntegerField(_("low confidence"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("confidence rating")
        verbose_name_plural = _("confidence ratings")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(exempt=False) | ~Q(exemption_reason=""),
                name="rating_exemption_has_reason",
                violation_error_message=_("Give the reason for the exemption."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official_name} — {self.post}"

    def shares(self) -> dict[str, str]:
        total = self.confidence_vote.total_delegates
        return {
            "high": share(self.high, total),
            "trust": share(self.trust, total),
            "low": share(self.low, total),
        }

    def flag(self) -> str | None:
        """ "two_thirds" (≥ 2/3 low: dismissal), "half" (> 1/2 low: resign or no-confidence
        vote), or None — each of total delegates, from the rules in force."""
        if self.exempt:
            return None
        day = self.confidence_vote.held_on
        council = self.confidence_vote.session.council
        total = self.confidence_vote.total_delegates
        if rule("confidence.low_two_thirds", on=day, council=council).reached(self.low, total):
            return "two_thirds"
        if rule("confidence.low_half", on=day, council=council).reached(self.low, total):
            return "half"
        return None


class MeetingKind(models.TextChoices):
    STANDING = "standing", _("Standing Committee meeting")
    LIAISON = "liaison", _("Liaison meeting with lower councils")


class MeetingQuerySet(scoped_queryset("council")):  # type: ignore[misc]
    def public(self) -> MeetingQuerySet:
        """Standing Committee meetings a clerk published (none by default)."""
        return self.filter(published=True)


class Meeting(models.Model):
    """A Standing Committee meeting (phiên họp Thường trực), including liaison meetings (giao
    ban) of a province's Standing Committee with the councils below it."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="meetings"
    )
    organ = models.ForeignKey(
        Organ,
        verbose_name=_("organ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    topic = models.TextField(_("topic put to discussion"), blank=True)
    participant_councils = models.ManyToManyField(
        Council, verbose_name=_("participating councils"), blank=True, related_name="+"
    )
    participants = models.TextField(
        _("participants"), blank=True, help_text=_("One per line: name, post.")
    )
    chair_name = models.CharField(_("presiding"), max_length=150, blank=True)
    secretary_name = models.CharField(_("secretary"), max_length=150, blank=True)
    summary = models.TextField(_("discussion summary"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    published = models.BooleanField(
        _("published on the public portal"),
        default=False,
    )

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sessions:meeting-detail", args=[self.pk])

    def tasks(self) -> models.QuerySet[FollowUp]:
        """The tasks assigned at this meeting (follow-ups whose source is the meeting)."""
        return FollowUp.objects.of(self).select_related("to_council", "to_organ", "to_agency")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")


class Minutes(models.Model):
    """The minutes (biên bản) of a session or a meeting, with their approval. Once approved,
    the approved PDF is frozen; a new version needs reopening, which is recorded."""

    session = models.OneToOneField(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="minutes"
    )
    meeting = models.OneToOneField(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="minutes"
    )
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    approved_document = models.ForeignKey(
        "core.GeneratedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = scoped_queryset("council").as_manager()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=Q(session__isnull=False, meeting__isnull=True)
                | Q(session__isnull=True, meeting__isnull=False),
                name="minutes_of_one_thing",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_document__isnull=False),
                name="minutes_approved_are_frozen",
            ),
        ]

    def __str__(self) -> str:
        return f"Biên bản — {self.session or self.meeting}"

    @property
    def subject(self) -> Session | Meeting:
        return self.session or self.meeting  # type: ignore[return-value]

    def get_absolute_url(self) -> str:
        return self.subject.get_absolute_url() + "#minutes"


class MinutesEvent(models.Model):
    """A step of the minutes' approval flow (reviewed, approved, reopened), with who and why."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%d/%m/%Y %H:%M}"
