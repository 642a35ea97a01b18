"""Submissions (tờ trình), committee verification reports (báo cáo thẩm tra) and the register of
resolutions (nghị quyết) with their numbering, relations and legal status (DOMAIN.md §4, §5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councilportal.models import Agency, Council, Organ, ScopedQuerySet, scoped_queryset
from councilportal.web.text import search_normalise


class Field(models.TextChoices):
    """Fields (lĩnh vực) used to classify submissions and resolutions."""

    BUDGET = "budget", _("Budget and finance")
    INVESTMENT = "investment", _("Planning and public investment")
    LAND = "land", _("Land, natural resources and environment")
    AGRICULTURE = "agriculture", _("Agriculture and rural development")
    INFRASTRUCTURE = "infrastructure", _("Transport, construction and urban affairs")
    EDUCATION = "education", _("Education and training")
    HEALTH = "health", _("Health and social affairs")
    CULTURE = "culture", _("Culture, sport and tourism")
    ORGANISATION = "organisation", _("Organisation, personnel and administration")
    LEGAL = "legal", _("Justice, security and public order")
    COUNCIL = "council", _("Council activities and supervision")
    OTHER = "other", _("Other")


class Kind(models.TextChoices):
    NORMATIVE = "normative", _("Legal normative resolution")
    INDIVIDUAL = "individual", _("Individual resolution")


class Issuer(models.TextChoices):
    """Who issues the document. Each issuer numbers its own series (DOMAIN.md §5, §9)."""

    COUNCIL = "council", _("The People's Council")
    STANDING = "standing", _("The Standing Committee of the council")


class SubmissionStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    VERIFYING = "verifying", _("Under verification")
    VERIFIED = "verified", _("Verified")
    ON_AGENDA = "on_agenda", _("On a session's agenda")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


FINAL_SUBMISSION_STATUSES = {
    SubmissionStatus.ADOPTED,
    SubmissionStatus.REJECTED,
    SubmissionStatus.WITHDRAWN,
}


class SubmissionQuerySet(scoped_queryset("council")):  # type: ignore[misc]
    def public(self) -> SubmissionQuerySet:
        """Submissions a clerk published (a draft is never public by default)."""
        return self.filter(published=True)


class Submission(models.Model):
    """A submission (tờ trình) with its draft resolution, received from an agency (usually the
    People's Committee) and verified by a committee of the council before a session."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="submissions"
    )
    reference = models.CharField(
        _("submission number"), max_length=60, blank=True, help_text=_('e.g. "125/TTr-UBND"')
    )
    title = models.CharField(_("summary of contents"), max_length=500)
    submitted_by = models.ForeignKey(
        Agency,
        verbose_name=_("submitting agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    received_on = models.DateField(_("received on"))
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    kind = models.CharField(
        _("kind of draft resolution"), max_length=20, choices=Kind.choices, default=Kind.INDIVIDUAL
    )
    draft_text = models.TextField(_("draft resolution"), blank=True)
    verifying_organ = models.ForeignKey(
        Organ,
        verbose_name=_("committee verifying it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions_to_verify",
    )
    verification_due = models.DateField(_("verification due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.RECEIVED,
    )
    agenda_item = models.ForeignKey(
        "council_sessions.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    vote = models.ForeignKey(
        "council_sessions.Vote",
        verbose_name=_("vote"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    status_note = models.CharField(_("note on the status"), max_length=300, blank=True)
    published = models.BooleanField(
        _("published on the public portal"),
        default=False,
    )
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verification_due__isnull=True)
                | Q(verification_due__gte=F("received_on")),
                name="submission_verification_after_receipt",
                violation_error_message=_(
                    "The verification deadline cannot be before the submission was received."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["on_agenda", "adopted"]) | Q(agenda_item__isnull=False),
                name="submission_on_agenda_has_item",
                violation_error_message=_("A submission on the agenda needs its agenda item."),
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted") | Q(vote__isnull=False),
                name="submission_adopted_has_vote",
                violation_error_message=_("An adopted submission needs the vote that passed it."),
            ),
        ]
        indexes = [models.Index(fields=["council", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("resolutions:submission-detail", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_SUBMISSION_STATUSES

    def verification_overdue(self, on: dt.date | None = None) -> bool:
        return (
            self.status in (SubmissionStatus.RECEIVED, SubmissionStatus.VERIFYING)
            and self.verification_due is not None
            and self.verification_due < (on or timezone.localdate())
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_normalise(" ".join([self.reference, self.title]))
        super().save(*args, **kwargs)


class Conclusion(models.TextChoices):
    AGREE = "agree", _("Agrees with the draft")
    AGREE_WITH_CHANGES = "agree_changes", _("Agrees, with proposed changes")
    DISAGREE = "disagree", _("Does not agree")


class VerificationReport(models.Model):
    """A committee's verification report (báo cáo thẩm tra) on a submission."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="verification_reports",
    )
    organ = models.ForeignKey(
        Organ, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("report number"), max_length=60, blank=True)
    reported_on = models.DateField(_("dated"))
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=Conclusion.choices)
    content = models.TextField(_("summary of the report"), blank=True)

    history = HistoricalRecords()
    objects = scoped_queryset("submission__council").as_manager()

    class Meta:
        verbose_name = _("verification report")
        verbose_name_plural = _("verification reports")
        ordering = ["reported_on", "pk"]

    def __str__(self) -> str:
        return f"{self.reference or _('Verification report')} — {self.organ}"

    def get_absolute_url(self) -> str:
        return self.submission.get_absolute_url() + "#verification"


class LegalStatus(models.TextChoices):
    NOT_YET = "not_yet", _("Not yet in force")
    IN_FORCE = "in_force", _("In force")
    PARTLY_LAPSED = "partly_lapsed", _("Partly lapsed")
    FULLY_LAPSED = "fully_lapsed", _("Fully lapsed")
    SUSPENDED = "suspended", _("Suspended")


class RelationKind(models.TextChoices):
    AMENDS = "amends", _("amends or supplements")
    REPLACES = "replaces", _("replaces")
    REPEALS = "repeals", _("repeals")
    DETAILS = "details", _("details")
    CORRECTS = "corrects", _("corrects")


# What each relation does to the status of its target from its effective date.
LAPSING = (RelationKind.REPLACES, RelationKind.REPEALS)


def status_q(status: str, on: dt.date) -> Q:
    """Rows whose legal status on a date is `status`, from the stored lapse dates (kept by
    `services.lapse_refresh`), so the register filters 200,000 rows without a subquery per row.
    Precedence as in `Resolution.status_on`: not yet > fully lapsed > suspended > partly
    lapsed > in force."""
    # adopted_on ≤ effective_from is a database constraint: saying it again lets the register's
    # (adopted_on, number) index start at the date instead of walking every later row.
    started = Q(effective_from__lte=on, adopted_on__lte=on)
    fully = Q(lapsed_on__isnull=False, lapsed_on__lte=on)
    suspended = Q(suspended_from__isnull=False, suspended_from__lte=on) & (
        Q(suspended_to__isnull=True) | Q(suspended_to__gte=on)
    )
    partly = Q(partly_lapsed_on__isnull=False, partly_lapsed_on__lte=on)
    if status == LegalStatus.NOT_YET:
        return Q(effective_from__gt=on)
    if status == LegalStatus.FULLY_LAPSED:
        return started & fully
    if status == LegalStatus.SUSPENDED:
        return started & ~fully & suspended
    if status == LegalStatus.PARTLY_LAPSED:
        return started & ~fully & ~suspended & partly
    return started & ~fully & ~suspended & ~partly


class ResolutionQuerySet(ScopedQuerySet):
    def with_status_on(self, on: dt.date) -> ResolutionQuerySet:
        """Annotate `status_code`, the legal status on a date (plain column arithmetic)."""
        return self.annotate(
            status_code=Case(
                *[
                    When(status_q(code, on), then=Value(code))
                    for code in (
                        LegalStatus.NOT_YET,
                        LegalStatus.FULLY_LAPSED,
                        LegalStatus.SUSPENDED,
                        LegalStatus.PARTLY_LAPSED,
                    )
                ],
                default=Value(LegalStatus.IN_FORCE.value),
                output_field=models.CharField(),
            )
        )

    def with_status(self, status: str, on: dt.date) -> ResolutionQuerySet:
        return self.filter(status_q(status, on))

    def public(self) -> ResolutionQuerySet:
        """Resolutions shown on the public portal (every adopted one unless a clerk withdrew it)."""
        return self.filter(published=True)

    def in_force(self, on: dt.date | None = None) -> ResolutionQuerySet:
        day = on or timezone.localdate()
        return self.filter(
            status_q(LegalStatus.IN_FORCE, day) | status_q(LegalStatus.PARTLY_LAPSED, day)
        )


class Resolution(models.Model):
    """A resolution (nghị quyết) of a council or of its Standing Committee, legal normative
    (QPPL) or individual, with its number and symbol, dates and relations to other documents."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="resolutions"
    )
    issuer = models.CharField(
        _("issued by"), max_length=20, choices=Issuer.choices, default=Issuer.COUNCIL
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.PositiveIntegerField(_("number"))
    year = models.PositiveSmallIntegerField(
        _("year of the number"), help_text=_("Numbering restarts on 1 January.")
    )
    is_manual_number = models.BooleanField(
        _("number entered by hand"),
        default=False,
        help_text=_("For historical documents imported into the register."),
    )
    title = models.CharField(_("summary of contents"), max_length=500)
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    session = models.ForeignKey(
        "council_sessions.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    agenda_item = models.ForeignKey(
        "council_sessions.AgendaItem",
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    vote = models.ForeignKey(
        "council_sessions.Vote",
        verbose_name=_("vote"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    submission = models.OneToOneField(
        Submission,
        verbose_name=_("submission"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolution",
    )
    adopted_on = models.DateField(_("adopted on"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=150, blank=True)
    effective_from = models.DateField(_("in force from"))
    shortened_procedure = models.BooleanField(
        _("shortened procedure"),
        default=False,
        help_text=_("Adopted under the shortened procedure: may take effect on adoption."),
    )
    expires_on = models.DateField(
        _("lapses on"),
        null=True,
        blank=True,
        help_text=_("The first day it is no longer in force."),
    )
    suspended_from = models.DateField(_("suspended from"), null=True, blank=True)
    suspended_to = models.DateField(_("suspended until"), null=True, blank=True)
    legal_bases = models.TextField(
        _("legal bases"), blank=True, help_text=_('One per line, without "Căn cứ".')
    )
    body = models.TextField(
        _("articles"), blank=True, help_text=_('The articles, each starting with "Điều n."')
    )
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line."))
    gazette_reference = models.CharField(_("official gazette"), max_length=200, blank=True)
    published = models.BooleanField(
        _("published on the public portal"),
        default=True,
    )
    # Derived from the dates and the relations by services.lapse_refresh (never typed): the
    # first day the resolution is fully lapsed, and the first day a part of it lapsed.
    lapsed_on = models.DateField(null=True, blank=True, editable=False)
    partly_lapsed_on = models.DateField(null=True, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["search_text", "lapsed_on", "partly_lapsed_on"])
    objects = ResolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["-adopted_on", "-number", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "issuer", "kind", "year", "number"],
                name="resolution_unique_number",
                violation_error_message=_(
                    "This number is already used by another resolution of the same issuer "
                    "in that year."
                ),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="resolution_number_positive"),
            # Only the council itself adopts legal normative resolutions (DOMAIN.md §5); with
            # the unique number above, no two documents of a council print the same number.
            models.CheckConstraint(
                condition=Q(kind="individual") | Q(issuer="council"),
                name="resolution_normative_by_council",
                violation_error_message=_(
                    "Only the People's Council adopts legal normative resolutions, "
                    "not its Standing Committee."
                ),
            ),
            models.CheckConstraint(
                condition=Q(effective_from__gte=F("adopted_on")),
                name="resolution_effective_after_adoption",
                violation_error_message=_("A resolution cannot take effect before its adoption."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("effective_from")),
                name="resolution_lapses_after_effect",
                violation_error_message=_("The lapse date must be after the date it takes effect."),
            ),
            models.CheckConstraint(
                condition=Q(suspended_to__isnull=True)
                | (Q(suspended_from__isnull=False) & Q(suspended_to__gte=F("suspended_from"))),
                name="resolution_suspension_period",
                violation_error_message=_("The suspension must end after it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["council", "-adopted_on"], name="resolution_council_adopted"),
            models.Index(fields=["-adopted_on", "-number"], name="resolution_adopted_number"),
            models.Index(fields=["year", "-adopted_on", "-number"], name="resolution_year_adopted"),
            models.Index(fields=["title"], name="resolution_title"),
            models.Index(fields=["field", "-adopted_on"], name="resolution_field_adopted"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("resolutions:resolution-detail", args=[self.pk])

    @staticmethod
    def format_symbol(number: int, year: int, kind: str, issuer: str = Issuer.COUNCIL) -> str:
        """ "12/2023/NQ-HĐND" (legal normative: the year in the number) or "52/NQ-HĐND"
        (individual, Decree 30); numbers below 10 take a leading zero. The Standing Committee
        numbers its own series (DOMAIN.md §9), so its symbol names it: "07/NQ-TTHĐND" — a
        printed number identifies one document of the council's register in its year."""
        if kind == Kind.NORMATIVE:
            return f"{number:02d}/{year}/NQ-HĐND"
        if issuer == Issuer.STANDING:
            return f"{number:02d}/NQ-TTHĐND"
        return f"{number:02d}/NQ-HĐND"

    @property
    def symbol(self) -> str:
        return self.format_symbol(self.number, self.year, self.kind, self.issuer)

    @property
    def symbol_tail(self) -> str:
        """What follows the number on the document's "Số:" line."""
        return self.symbol.split("/", 1)[1]

    @property
    def number_text(self) -> str:
        return f"{self.number:02d}"

    @property
    def is_normative(self) -> bool:
        return self.kind == Kind.NORMATIVE

    def status_on(self, on: dt.date | None = None) -> str:
        """The legal status on a date from the dates and the relations (prefetch
        `relations_in` and `relations_out__target__relations_in` on lists)."""
        day = on or timezone.localdate()
        if day < self.effective_from:
            return LegalStatus.NOT_YET
        if self.fully_lapsed_on(day):
            return LegalStatus.FULLY_LAPSED
        for rel in self.relations_out.all():
            if rel.kind == RelationKind.DETAILS and rel.target.fully_lapsed_on(day):
                # A document detailing another lapses with it (DOMAIN.md §5).
                return LegalStatus.FULLY_LAPSED
        if (
            self.suspended_from is not None
            and self.suspended_from <= day
            and (self.suspended_to is None or day <= self.suspended_to)
        ):
            return LegalStatus.SUSPENDED
        for rel in self.relations_in.all():
            if rel.effective_from <= day and (
                rel.kind == RelationKind.AMENDS or (rel.kind in LAPSING and rel.partial)
            ):
                return LegalStatus.PARTLY_LAPSED
        return LegalStatus.IN_FORCE

    def own_lapse_date(self) -> dt.date | None:
        """The first day it is fully lapsed by its own expiry or a whole replacement/repeal."""
        dates = [
            rel.effective_from
            for rel in self.relations_in.all()
            if rel.kind in LAPSING and not rel.partial
        ]
        if self.expires_on is not None:
            dates.append(self.expires_on)
        return min(dates) if dates else None

    def lapse_dates(self) -> tuple[dt.date | None, dt.date | None]:
        """(lapsed_on, partly_lapsed_on) as stored for the register's status filter; the same
        rules as `status_on` (a detailing document lapses with the one it details)."""
        full = [d for d in [self.own_lapse_date()] if d is not None]
        for rel in self.relations_out.all():
            if rel.kind == RelationKind.DETAILS:
                parent = rel.target.own_lapse_date()
                if parent is not None:
                    full.append(parent)
        partly = [
            rel.effective_from
            for rel in self.relations_in.all()
            if rel.kind == RelationKind.AMENDS or (rel.kind in LAPSING and rel.partial)
        ]
        return (min(full) if full else None, min(partly) if partly else None)

    def fully_lapsed_on(self, day: dt.date) -> bool:
        if self.expires_on is not None and self.expires_on <= day:
            return True
        return any(
            rel.kind in LAPSING and not rel.partial and rel.effective_from <= day
            for rel in self.relations_in.all()
        )

    @property
    def status_label(self) -> str:
        """The status annotated by `with_status_on` (register rows), as a word."""
        return str(LegalStatus(self.status_code).label)  # type: ignore[attr-defined]

    def status_display(self, on: dt.date | None = None) -> str:
        return str(LegalStatus(self.status_on(on)).label)

    def legal_basis_lines(self) -> list[str]:
        return [line.strip() for line in self.legal_bases.splitlines() if line.strip()]

    def articles(self) -> list[str]:
        return [line.strip() for line in self.body.splitlines() if line.strip()]

    def recipient_lines(self) -> list[str]:
        return [line.strip(" -;.") for line in self.recipients.splitlines() if line.strip(" -;.")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_normalise(
            " ".join([self.symbol, self.title, self.get_field_display()])
        )
        super().save(*args, **kwargs)


class NumberCounter(models.Model):
    """The last number given in one series (council, issuer, kind, year). Allocation locks this
    row (SELECT … FOR UPDATE), so two clerks adopting at the same moment get different numbers."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    issuer = models.CharField(max_length=20, choices=Issuer.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "issuer", "kind", "year"], name="number_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.council_id}/{self.issuer}/{self.kind}/{self.year}: {self.last_number}"


class ResolutionRelationQuerySet(scoped_queryset("source__council")):  # type: ignore[misc]
    def public(self) -> ResolutionRelationQuerySet:
        """Relations whose two ends are public."""
        return self.filter(source__published=True, target__published=True)


class ResolutionRelation(models.Model):
    """A relation between two documents of the register: `source` amends, replaces, repeals,
    details or corrects `target`, from a date."""

    source = models.ForeignKey(
        Resolution,
        verbose_name=_("document acting"),
        on_delete=models.CASCADE,
        related_name="relations_out",
    )
    target = models.ForeignKey(
        Resolution,
        verbose_name=_("document affected"),
        on_delete=models.PROTECT,
        related_name="relations_in",
    )
    kind = models.CharField(_("relation"), max_length=20, choices=RelationKind.choices)
    partial = models.BooleanField(
        _("only in part"),
        default=False,
        help_text=_("For a replacement or repeal of some articles only."),
    )
    effective_from = models.DateField(_("takes effect on"))
    articles = models.CharField(_("articles concerned"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()
    objects = ResolutionRelationQuerySet.as_manager()

    class Meta:
        verbose_name = _("relation between documents")
        verbose_name_plural = _("relations between documents")
        ordering = ["effective_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="relation_not_to_itself",
                violation_error_message=_("A document cannot be related to itself."),
            ),
            models.UniqueConstraint(
                fields=["source", "target", "kind"],
                name="relation_unique",
                violation_error_message=_("This relation is already recorded."),
            ),
        ]
        indexes = [models.Index(fields=["target", "kind", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.source.symbol} {self.get_kind_display()} {self.target.symbol}"

    def get_absolute_url(self) -> str:
        return self.source.get_absolute_url() + "#relations"

    @property
    def council(self) -> Council:
        return self.source.council
