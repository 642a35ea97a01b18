"""Citizen reception, petitions (đơn thư) and voters' recommendations (DOMAIN.md §2, §6).

The council does not resolve petitions: it receives, classifies (triage), forwards to the
competent agency with a numbered forwarding slip, follows up and urges. A forwarded item's
follow-up with the agency is a core `FollowUp` owned by the item, so the core reminders, overdue
figures and calendar recomputation cover it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from councilportal.models import Agency, Council, FollowUp, Organ, scoped_queryset
from councilportal.typing import AnyUser

from .crypto import EncryptedTextField


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Handed in person")
    POST = "post", _("By post")
    FORWARDED = "forwarded", _("Forwarded by another body")
    EMAIL = "email", _("By e-mail")
    ONLINE = "online", _("Online, on the public portal")


class ItemKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    DENUNCIATION = "denunciation", _("Denunciation")
    RECOMMENDATION = "recommendation", _("Recommendation")
    REFLECTION = "reflection", _("Reflection")


class Field(models.TextChoices):
    LAND = "land", _("Land and housing")
    COMPENSATION = "compensation", _("Site clearance and compensation")
    ADMINISTRATION = "administration", _("Public administration")
    JUSTICE = "justice", _("Justice and judgments")
    SOCIAL = "social", _("Social policy")
    ECONOMY = "economy", _("Economy and budget")
    ENVIRONMENT = "environment", _("Environment")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Awaiting triage")
    FORWARD = "forward", _("Forwarded to the competent agency")
    GUIDE = "guide", _("Citizen guided")
    ARCHIVE = "archive", _("Filed away")
    MONITOR = "monitor", _("Under monitoring")


class ArchiveReason(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonymous or unverifiable")
    DUPLICATE = "duplicate", _("Duplicate, no new information")
    RESOLVED = "resolved", _("Already resolved")
    INELIGIBLE = "ineligible", _("Not eligible for handling")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    TRIAGED = "triaged", _("Triaged")
    FORWARDED = "forwarded", _("Forwarded")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", pgettext_lazy("petition status", "Closed")
    OVERDUE = "overdue", _("Overdue")


class ReceptionSchedule(models.Model):
    """A citizen reception day (lịch tiếp công dân): who of the Standing Committee or which
    delegates receive citizens, when and where."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
    receivers = models.CharField(
        _("received by"),
        max_length=500,
        help_text=_("Members of the Standing Committee or delegates receiving citizens."),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = scoped_queryset("council").as_manager()

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("petitions:schedule-detail", args=[self.pk])


class ReceptionRecord(models.Model):
    """A record of a reception (sổ tiếp công dân): the citizens received and what they raised.
    The petitions handed in point to it."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    schedule = models.ForeignKey(
        ReceptionSchedule,
        verbose_name=_("reception day"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
    )
    date = models.DateField(_("date"))
    received_by = models.CharField(_("received by"), max_length=300)
    citizens = models.PositiveSmallIntegerField(_("number of citizens"), default=1)
    is_group = models.BooleanField(_("a group of citizens"), default=False)
    summary = models.TextField(
        _("what was raised"),
        help_text=_("Do not write a denouncer's name or address here: record it on the petition."),
    )

    history = HistoricalRecords()
    objects = scoped_queryset("council").as_manager()

    class Meta:
        verbose_name = _("reception record")
        verbose_name_plural = _("reception records")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(citizens__gte=1),
                name="reception_has_citizens",
                violation_error_message=_("At least one citizen was received."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.summary[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("petitions:record-detail", args=[self.pk])


class PetitionQuerySet(scoped_queryset("council")):  # type: ignore[misc]
    def overdue(self, on: dt.date | None = None) -> PetitionQuerySet:
        day = on or timezone.localdate()
        return self.filter(
            Q(items__outcome=Outcome.PENDING, items__triage_due__lt=day)
            | Q(
                items__follow_up__status__in=["open", "partly_done"],
                items__follow_up__due_date__lt=day,
            )
        ).distinct()


class Petition(models.Model):
    """A petition (đơn thư) received by the council: one letter, possibly mixed, split into
    items of one kind each. Identity of the petitioners is held encrypted (`Petitioner`)."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="petitions"
    )
    number = models.PositiveIntegerField(_("register number"))
    year = models.PositiveSmallIntegerField(_("year"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    forwarded_by = models.CharField(
        _("forwarded by"),
        max_length=300,
        blank=True,
        help_text=_("The body that forwarded the petition, when it came that way."),
    )
    subject = models.CharField(pgettext_lazy("petition", "subject"), max_length=300)
    is_group = models.BooleanField(_("group petition"), default=False)
    is_anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("No name or address, an unverifiable identity, or another person's name."),
    )
    reception = models.ForeignKey(
        ReceptionRecord,
        verbose_name=_("reception record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("repeats petition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    repeat_count = models.PositiveSmallIntegerField(
        _("times received"),
        default=1,
        help_text=_("On the first petition of a series: how many times it has been received."),
    )
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # HMAC of the tracking code given to a citizen who sent the petition online: the code
    # itself is never stored, so a database read cannot be turned into status lookups.
    tracking_digest = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )

    history = HistoricalRecords(excluded_fields=["search_text", "tracking_digest"])
    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year", "number"],
                name="petition_unique_number",
                violation_error_message=_("This register number is already used this year."),
            ),
            models.CheckConstraint(
                condition=Q(repeat_count__gte=1), name="petition_repeat_count_positive"
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=F("pk")), name="petition_not_its_own_duplicate"
            ),
        ]
        indexes = [
            models.Index(fields=["council", "received_on"]),
            # The dashboard's count of a period's petitions by council, from the index alone.
            models.Index(fields=["received_on", "council"], name="petition_received_council_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.year} — {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("petitions:petition-detail", args=[self.pk])

    @property
    def is_confidential(self) -> bool:
        """Whether the petitioners' identity is secret: any denunciation item makes it so
        (Law on Denunciations 2018, art. 47)."""
        return any(item.kind == ItemKind.DENUNCIATION for item in self.items.all())

    def status_on(self, day: dt.date | None = None) -> str:
        """The petition's status on a date: that of its least advanced item."""
        day = day or timezone.localdate()
        items = list(self.items.all())
        if not items:
            return Status.RECEIVED
        statuses = [item.status_on(day) for item in items]
        if Status.OVERDUE in statuses:
            return Status.OVERDUE
        order: list[str] = [
            Status.RECEIVED,
            Status.TRIAGED,
            Status.FORWARDED,
            Status.ANSWERED,
            Status.CLOSED,
        ]
        return min(statuses, key=lambda s: order.index(s))

    def get_status_display(self) -> str:
        return str(Status(self.status_on()).label)

    @property
    def register_number(self) -> str:
        return f"{self.number:02d}/{self.year}"

    @property
    def petitioner_column(self) -> str:
        """What a register or an export says of the petitioner: the name of a petition that is
        not confidential, never a denouncer's identity."""
        from .access import register_label

        return register_label(self)

    @property
    def kinds_label(self) -> str:
        return ", ".join(sorted({str(item.get_kind_display()) for item in self.items.all()}))

    @property
    def status_label(self) -> str:
        return str(Status(self.status_on()).label)

    @property
    def next_due(self) -> Any:
        """The nearest open due date of its items (triage or agency reply), for the due chip."""
        dues = []
        for item in self.items.all():
            due = item.open_due
            if due is not None:
                dues.append(due)
        return min(dues, key=lambda d: d[0]) if dues else None


class PetitionerQuerySet(scoped_queryset("petition__council")):  # type: ignore[misc]
    """Petitioners of a petition with a denunciation item are visible only to the handlers of
    its council (their scans included: the core's attachment download asks this queryset)."""

    def _confidential_rule(self, qs: Any, user: Any) -> Any:
        from councilportal.models import Role, RoleAssignment

        confidential = models.Exists(
            PetitionItem.objects.filter(
                petition=models.OuterRef("petition"), kind=ItemKind.DENUNCIATION
            )
        )
        handler_of = RoleAssignment.objects.filter(
            user_id=getattr(user, "pk", None) or 0, role=Role.HANDLER
        ).values("council_id")
        return qs.annotate(confidential=confidential).filter(
            Q(confidential=False) | Q(petition__council_id__in=handler_of)
        )

    def visible_to(self, user: AnyUser) -> Any:
        return self._confidential_rule(super().visible_to(user), user)

    def editable_by(self, user: AnyUser) -> Any:
        return self._confidential_rule(super().editable_by(user), user)


class Petitioner(models.Model):
    """A person who signed a petition (người khiếu nại, người tố cáo…). Identity fields are
    encrypted at rest; the blind indexes allow exact-match duplicate detection."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="petitioners"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    is_representative = models.BooleanField(_("representative"), default=False)
    full_name = EncryptedTextField(_("full name"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    id_number = EncryptedTextField(_("identity number"), blank=True)
    name_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    history = HistoricalRecords()
    objects = PetitionerQuerySet.as_manager()

    class Meta:
        verbose_name = _("petitioner")
        verbose_name_plural = _("petitioners")
        ordering = ["petition", "-is_representative", "position", "pk"]

    def __str__(self) -> str:
        # Never the identity: that comes out only through petitions.access.
        return str(_("Petitioner no. %(n)d") % {"n": self.position})


class PetitionItem(models.Model):
    """One item of a petition, of one kind (khiếu nại, tố cáo, kiến nghị, phản ánh), with its
    triage outcome, the forwarding and the agency's answer."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    locality = models.CharField(_("locality"), max_length=200, blank=True)
    accused = models.CharField(
        _("person or decision complained of"),
        max_length=300,
        blank=True,
        help_text=_("The decision or act complained of, or the person denounced."),
    )
    content = models.TextField(_("content"))
    triage_due = models.DateField(_("triage due"), null=True, blank=True)
    triage_explanation = models.CharField(_("how the due date was set"), max_length=300, blank=True)
    triage_rule = models.CharField(_("rule"), max_length=80, blank=True)
    outcome = models.CharField(
        _("triage outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    archive_reason = models.CharField(
        _("reason for filing away"), max_length=20, choices=ArchiveReason.choices, blank=True
    )
    triage_note = models.TextField(_("triage note"), blank=True)
    triaged_on = models.DateField(_("triaged on"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("competent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petition_items",
    )
    follow_up = models.OneToOneField(
        FollowUp,
        verbose_name=_("follow-up"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petition_item",
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    answer_published = models.BooleanField(
        _("answer published to the petitioner"),
        default=False,
        help_text=_("The tracking page shows the agency’s answer once this is ticked."),
    )
    # Copies of the petition's council and date received (neither changes once a petition is
    # registered), set on save: the dashboard counts items by council and period without
    # joining two tables of millions of rows.
    petition_council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        null=True,
        db_index=False,  # petition_item_council_idx leads with it
    )
    petition_received_on = models.DateField(editable=False, null=True)

    history = HistoricalRecords(excluded_fields=["petition_council", "petition_received_on"])
    objects = scoped_queryset("petition_council").as_manager()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.petition_id and (
            self.petition_council_id is None or self.petition_received_on is None
        ):
            self.petition_council_id = self.petition.council_id
            self.petition_received_on = self.petition.received_on
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    "petition_council",
                    "petition_received_on",
                }
        super().save(*args, **kwargs)

    class Meta:
        verbose_name = _("petition item")
        verbose_name_plural = _("petition items")
        ordering = ["petition", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.ARCHIVE) | ~Q(archive_reason=""),
                name="petition_item_archive_has_reason",
                violation_error_message=_("Give the reason for filing the item away."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.FORWARD) | Q(agency__isnull=False),
                name="petition_item_forward_has_agency",
                violation_error_message=_("Choose the competent agency."),
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.PENDING) | Q(triaged_on__isnull=False),
                name="petition_item_triaged_has_date",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(follow_up__isnull=False),
                name="petition_item_answer_after_forwarding",
                violation_error_message=_("An answer can only be recorded once forwarded."),
            ),
        ]
        indexes = [
            models.Index(fields=["outcome", "triage_due"]),
            # The dashboard's count of a period's items, read from the index alone.
            models.Index(
                fields=["petition_received_on"],
                include=[
                    "petition_council",
                    "kind",
                    "outcome",
                    "answered_on",
                    "triage_due",
                    "follow_up",
                ],
                name="petition_item_dashboard_idx",
            ),
            # The same for one province's or commune's councils.
            models.Index(
                fields=["petition_council", "petition_received_on"],
                include=["kind", "outcome", "answered_on", "triage_due", "follow_up"],
                name="petition_item_council_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.content[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("petitions:petition-detail", args=[self.petition_id]) + f"#item-{self.pk}"

    @property
    def council(self) -> Council:
        return self.petition.council

    @property
    def open_due(self) -> tuple[dt.date, str] | None:
        if self.outcome == Outcome.PENDING and self.triage_due:
            return self.triage_due, self.triage_explanation
        follow_up = self.follow_up
        if follow_up is not None and follow_up.status in ("open", "partly_done"):
            return follow_up.due_date, follow_up.due_explanation
        return None

    def status_on(self, day: dt.date) -> str:
        petition = self.petition
        if day < petition.received_on:
            return Status.RECEIVED
        if self.closed_on and self.closed_on <= day:
            return Status.CLOSED
        follow_up = self.follow_up
        if (self.answered_on and self.answered_on <= day) or (
            follow_up is not None and follow_up.closed_on and follow_up.closed_on <= day
        ):
            return Status.ANSWERED
        if follow_up is not None and follow_up.sent_on <= day:
            return Status.OVERDUE if follow_up.due_date < day else Status.FORWARDED
        if self.triaged_on and self.triaged_on <= day:
            return Status.TRIAGED
        if self.triage_due and self.triage_due < day:
            return Status.OVERDUE
        return Status.RECEIVED


class ForwardingSlip(models.Model):
    """A forwarding slip (phiếu chuyển, symbol PC): numbered per council and year."""

    item = models.OneToOneField(
        PetitionItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="slip"
    )
    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    issued_on = models.DateField(_("issued on"))

    history = HistoricalRecords()
    objects = scoped_queryset("council").as_manager()

    class Meta:
        verbose_name = _("forwarding slip")
        verbose_name_plural = _("forwarding slips")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year", "number"], name="forwarding_slip_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number:02d}/PC-HĐND"

    def get_absolute_url(self) -> str:
        return self.item.get_absolute_url()


class ReminderLetter(models.Model):
    """A reminder letter (công văn đôn đốc) to the agency when its answer is late."""

    item = models.ForeignKey(
        PetitionItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="reminders"
    )
    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    sent_on = models.DateField(_("sent on"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()
    objects = scoped_queryset("council").as_manager()

    class Meta:
        verbose_name = _("reminder letter")
        verbose_name_plural = _("reminder letters")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year", "number"], name="reminder_letter_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number:02d}/HĐND-ĐĐ"

    def get_absolute_url(self) -> str:
        return self.item.get_absolute_url()


class IdentityAccess(models.TextChoices):
    VIEW = "view", _("Viewed the identity")
    UNREDACTED_COPY = "unredacted_copy", _("Produced an unredacted copy")
    UNREDACTED_DOWNLOAD = "unredacted_download", _("Downloaded the unredacted copy")
    SCAN_DOWNLOAD = "scan_download", _("Downloaded the petition's scan")
    # Someone without the right asked for the identity: leaders see who probes.
    REFUSED = "refused", _("Was refused the identity")


class IdentityAccessLog(models.Model):
    """One read of a denouncer's identity (nhật ký truy cập thông tin người tố cáo), or one
    refused attempt: who, when, which petition, what for. Written only by
    petitions.access (`reveal()`, `log_read()`)."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="access_log"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    action = models.CharField(_("action"), max_length=20, choices=IdentityAccess.choices)

    objects = scoped_queryset("council").as_manager()

    class Meta:
        verbose_name = _("identity access")
        verbose_name_plural = _("identity access log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.user} {self.get_action_display()}"


# Voter contact (NQLT 72/2025) -----------------------------------------------------------------


class ContactTiming(models.TextChoices):
    BEFORE = "before", _("Before the session")
    AFTER = "after", _("After the session")


class VoterMeetingQuerySet(scoped_queryset("council")):  # type: ignore[misc]
    def public(self) -> VoterMeetingQuerySet:
        return self.filter(published=True)


class VoterMeeting(models.Model):
    """A voter-contact meeting (hội nghị tiếp xúc cử tri) of a delegate group, before or after
    a regular session, in an electoral unit."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        "council_sessions.Session",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="voter_meetings",
    )
    timing = models.CharField(_("timing"), max_length=10, choices=ContactTiming.choices)
    delegate_group = models.ForeignKey(
        Organ,
        verbose_name=_("delegate group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    electoral_unit = models.CharField(_("electoral unit"), max_length=200)
    place = models.CharField(_("place"), max_length=300)
    date = models.DateField(_("date"))
    delegates_attending = models.TextField(_("delegates attending"))
    voters_attending = models.PositiveIntegerField(_("voters attending"), default=0)
    published = models.BooleanField(
        _("published on the public portal"),
        default=True,
    )

    history = HistoricalRecords()
    objects = VoterMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("voter-contact meeting")
        verbose_name_plural = _("voter-contact meetings")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("petitions:votermeeting-detail", args=[self.pk])


class RecommendationOutcome(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    RESOLVED = "resolved", _("Resolved")
    IN_PROGRESS = "in_progress", _("Being resolved, with a roadmap")
    EXPLAINED = "explained", _("Explained or answered")
    NOT_RESOLVED = "not_resolved", _("Not resolved")


class VoterRecommendationQuerySet(scoped_queryset("council")):  # type: ignore[misc]
    def public(self) -> VoterRecommendationQuerySet:
        """Recommendations whose answer a clerk published (merged duplicates are not listed)."""
        return self.filter(answer_published=True, merged_into__isnull=True)


class VoterRecommendation(models.Model):
    """A voters' recommendation (ý kiến, kiến nghị cử tri) collected at voter-contact meetings:
    duplicates are merged into one with a count of the meetings that raised it."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        "council_sessions.Session",
        verbose_name=_("source session"),
        on_delete=models.PROTECT,
        related_name="voter_recommendations",
    )
    content = models.TextField(_("content"))
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    committee = models.ForeignKey(
        Organ,
        verbose_name=_("competent committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency addressed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    locality = models.CharField(_("voters' locality"), max_length=200, blank=True)
    meetings = models.ManyToManyField(
        VoterMeeting, verbose_name=_("raised at"), blank=True, related_name="recommendations"
    )
    times_raised = models.PositiveSmallIntegerField(_("times raised"), default=1)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    answer_reference = models.CharField(_("answer document"), max_length=100, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_summary = models.TextField(_("answer"), blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=RecommendationOutcome.choices,
        default=RecommendationOutcome.OPEN,
    )
    sessions_open = models.PositiveSmallIntegerField(
        _("sessions open"),
        default=1,
        help_text=_("Regular sessions at which the item was still open; 2 or more: carried over."),
    )
    answer_published = models.BooleanField(
        _("answer published on the public portal"),
        default=False,
    )
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = VoterRecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("voters' recommendation")
        verbose_name_plural = _("voters' recommendations")
        ordering = ["-session__planned_start", "field", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(forwarded_on__isnull=False),
                name="recommendation_answer_after_forwarding",
                violation_error_message=_("Record the forwarding date before the answer."),
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("forwarded_on")),
                name="recommendation_answer_not_before_forwarding",
                violation_error_message=_("The answer cannot be dated before the forwarding."),
            ),
            models.CheckConstraint(
                condition=Q(times_raised__gte=1), name="recommendation_raised_at_least_once"
            ),
        ]
        indexes = [
            # The register's order (newest session first, then field): read session by session
            # from the sessions' date index, each session's rows already in order (14.16).
            models.Index(fields=["session", "field", "id"], name="recommendation_list_idx"),
            # The dashboard counts a period's recommendations through their sessions: each
            # session's recommendations are then read from this index alone.
            models.Index(
                fields=["session"],
                include=[
                    "council",
                    "merged_into",
                    "forwarded_on",
                    "answered_on",
                    "outcome",
                    "sessions_open",
                ],
                name="recommendation_dashboard_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.content[:100]

    def get_absolute_url(self) -> str:
        return reverse("petitions:recommendation-detail", args=[self.pk])

    @property
    def is_carried_over(self) -> bool:
        return self.sessions_open >= 2 and self.outcome in (
            RecommendationOutcome.OPEN,
            RecommendationOutcome.IN_PROGRESS,
            RecommendationOutcome.NOT_RESOLVED,
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        from councilportal.web.text import search_normalise

        self.search_text = search_normalise(" ".join([self.content, self.locality]))
        super().save(*args, **kwargs)
