"""The shared core: councils as a tree, terms, organs, delegates, agencies, users' roles."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Trim, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councilportal.web import lookups  # noqa: F401  (registers path__subtree)
from councilportal.web.text import name_sort_key, search_normalise

if TYPE_CHECKING:
    from councilportal.typing import AnyUser


class ScopedQuerySet(models.QuerySet):
    """A queryset of records that belong to a council, filterable by a user's scope.

    `scope_field` is the lookup from the model to its Council ("council", "term__council"...).
    The decision of who sees which council lives in `councilportal.access`; this only applies it.
    """

    scope_field = "council"

    def visible_to(self, user: AnyUser) -> ScopedQuerySet:
        from councilportal.access import scope_q

        return self.filter(scope_q(user, self.scope_field, write=False))

    def editable_by(self, user: AnyUser) -> ScopedQuerySet:
        from councilportal.access import scope_q

        return self.filter(scope_q(user, self.scope_field, write=True))


def scoped_queryset(field: str) -> type[ScopedQuerySet]:
    return type(f"ScopedQuerySet_{field}", (ScopedQuerySet,), {"scope_field": field})


class CouncilLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class CouncilQuerySet(ScopedQuerySet):
    scope_field = ""

    def public(self) -> CouncilQuerySet:
        """Councils on the public portal: those that exist today (not merged away)."""
        return self.valid_on(timezone.localdate())

    def valid_on(self, day: dt.date) -> CouncilQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def subtree_of(self, council: Council) -> CouncilQuerySet:
        return self.filter(path__subtree=council.path)


class Council(models.Model):
    """A People's Council (Hội đồng nhân dân) at any level of the administrative tree."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("Short unique code, letters, digits and hyphens, e.g. HY or HY-KD."),
    )
    level = models.CharField(_("level"), max_length=20, choices=CouncilLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path ("HY/HY-KD/"): "this council and everything below it" is one indexed
    # prefix query on SQLite and PostgreSQL alike. Maintained by save(); never edited by hand.
    path = models.CharField(max_length=500, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    place_name = models.CharField(
        _("place name for documents"),
        max_length=100,
        help_text=_('As written in the date line of documents, e.g. "Hưng Yên".'),
    )
    administrative_name = models.CharField(
        _("administrative unit name"),
        max_length=200,
        help_text=_(
            'Upper-case line under "HỘI ĐỒNG NHÂN DÂN" in documents, e.g. "TỈNH HƯNG YÊN".'
        ),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        verbose_name=_("predecessor councils"),
        symmetrical=False,
        blank=True,
        related_name="successors",
        help_text=_("Councils merged into this one."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text", "path", "depth"])
    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="council_valid_period",
                violation_error_message=_("The end of validity cannot be before its start."),
            ),
            models.CheckConstraint(condition=~Q(code=""), name="council_code_not_empty"),
            # "hy" and "HY" are one code (15.16): stored upper-case and trimmed, unique
            # whatever the case. Subtrees are matched on the path built from the codes.
            models.CheckConstraint(
                condition=Q(code=Upper(Trim("code"))),
                name="council_code_normalised",
                violation_error_message=_("Write the code in capitals, without spaces around."),
            ),
            models.UniqueConstraint(
                Upper("code"),
                name="council_code_unique_any_case",
                violation_error_message=_("Another council already has this code."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:council-detail", args=[self.pk])

    @property
    def council(self) -> Council:
        return self

    @property
    def unit_name(self) -> str:
        """The administrative unit in running text: "tỉnh Hưng Yên" for "HĐND tỉnh Hưng Yên"."""
        return self.name.removeprefix("HĐND").strip()

    def ancestors(self) -> CouncilQuerySet:
        codes = [c for c in self.path.split("/") if c][:-1]
        return Council.objects.filter(code__in=codes).order_by("depth")

    def descendants(self, include_self: bool = True) -> CouncilQuerySet:
        qs = Council.objects.subtree_of(self)
        return qs if include_self else qs.exclude(pk=self.pk)

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @staticmethod
    def normalise_code(code: str) -> str:
        """ "  hy-kd " -> "HY-KD": codes are compared and stored in capitals, trimmed."""
        return (code or "").strip().upper()

    def clean(self) -> None:
        self.code = self.normalise_code(self.code)
        if self.code and not all(ch.isalnum() or ch == "-" for ch in self.code):
            raise ValidationError({"code": _("Use only letters, digits and hyphens in the code.")})
        if (
            self.parent_id is not None
            and self.pk is not None
            and (
                self.parent_id == self.pk
                or (self.parent is not None and self.parent.path.startswith(self.path))
            )
        ):
            raise ValidationError(
                {"parent": _("A council cannot be placed below itself or its own subordinate.")}
            )

    def delegate_count(self, on: dt.date | None = None) -> int:
        """Number of delegates of this council in office on a date (vote thresholds use it)."""
        return (
            Delegate.objects.in_office(on or timezone.localdate())
            .filter(term__council=self)
            .count()
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_path = self.path
        parent = self.parent
        self.code = self.normalise_code(self.code)
        self.path = f"{parent.path if parent else ''}{self.code}/"
        self.depth = (parent.depth + 1) if parent else 0
        self.search_text = search_normalise(" ".join([self.name, self.code, self.place_name]))
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Move the subtree along: its paths are derived data, not history-worthy edits.
            for child in Council.objects.filter(parent=self):
                child.save()


class Term(models.Model):
    """A council's term of office (nhiệm kỳ), e.g. 2021–2026, Khóa XVII."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="terms"
    )
    ordinal = models.PositiveSmallIntegerField(
        _("ordinal"), help_text=_("The term's number: 17 for Khóa XVII.")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_('e.g. "Khóa XVII"'))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    history = HistoricalRecords()
    objects = scoped_queryset("council").as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["council__path", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "ordinal"],
                name="term_unique_ordinal",
                violation_error_message=_("This council already has a term with this number."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="term_end_after_start",
                violation_error_message=_("The end date must be after the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_date:%Y}–{self.end_date:%Y})"

    def get_absolute_url(self) -> str:
        return reverse("core:term-detail", args=[self.pk])

    def contains(self, day: dt.date) -> bool:
        return self.start_date <= day <= self.end_date

    @property
    def name_in_text(self) -> str:
        """The name inside a sentence: "khóa XVII" (the roman numeral keeps its case)."""
        return self.name[:1].lower() + self.name[1:]


class OrganKind(models.TextChoices):
    STANDING_COMMITTEE = "standing", _("Standing Committee")
    LEGAL = "legal", _("Legal Affairs Committee")
    ECONOMY_BUDGET = "economy_budget", _("Economy and Budget Committee")
    CULTURE_SOCIAL = "culture_social", _("Culture and Social Affairs Committee")
    ETHNIC = "ethnic", _("Ethnic Affairs Committee")
    URBAN = "urban", _("Urban Affairs Committee")
    OTHER_COMMITTEE = "other_committee", _("Other committee")
    DELEGATE_GROUP = "delegate_group", _("Delegate group")

    @classmethod
    def committees(cls) -> list[str]:
        return [
            cls.LEGAL,
            cls.ECONOMY_BUDGET,
            cls.CULTURE_SOCIAL,
            cls.ETHNIC,
            cls.URBAN,
            cls.OTHER_COMMITTEE,
        ]


class Organ(models.Model):
    """An organ of a council for a term: its Standing Committee (Thường trực), a committee
    (Ban) or a delegate group (Tổ đại biểu)."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="organs"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="organs"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OrganKind.choices)
    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=20,
        blank=True,
        help_text=_('Used in document symbols, e.g. "BPC" or "TT HĐND".'),
    )
    electoral_units = models.TextField(
        _("electoral units"),
        blank=True,
        help_text=_("For delegate groups: the electoral units (đơn vị bầu cử) it covers."),
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = scoped_queryset("council").as_manager()

    class Meta:
        verbose_name = _("organ")
        verbose_name_plural = _("organs")
        ordering = ["council__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["term"],
                condition=Q(kind="standing"),
                name="organ_one_standing_committee_per_term",
                violation_error_message=_("This term already has a Standing Committee."),
            ),
            models.UniqueConstraint(
                fields=["term", "name"],
                name="organ_unique_name_per_term",
                violation_error_message=_("An organ with this name already exists in this term."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:organ-detail", args=[self.pk])

    def clean(self) -> None:
        if self.term_id and self.council_id and self.term.council_id != self.council_id:
            raise ValidationError({"term": _("The term must belong to the same council.")})


class DelegateQuerySet(ScopedQuerySet):
    scope_field = "term__council"

    def public(self) -> DelegateQuerySet:
        """Delegates shown on the public portal (all, unless a clerk unticked one). Their
        phone, e-mail, birth date and portal account are never shown there."""
        return self.filter(published=True)

    def in_office(self, day: dt.date) -> DelegateQuerySet:
        """Delegates of a council on a day: their term is in force that day, they hold office
        that day, and their council still exists (a council merged away on 30/06/2025 has no
        delegates after it). The one dated count used by every page, vote and document."""
        return (
            self.filter(start_date__lte=day, term__start_date__lte=day, term__end_date__gte=day)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
            .filter(
                Q(term__council__valid_from__isnull=True) | Q(term__council__valid_from__lte=day)
            )
            .filter(Q(term__council__valid_to__isnull=True) | Q(term__council__valid_to__gte=day))
        )


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Delegate(models.Model):
    """A delegate (đại biểu HĐND) elected to a council for a term."""

    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="delegates"
    )
    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    position = models.CharField(
        _("position and workplace"),
        max_length=300,
        blank=True,
        help_text=_('e.g. "Phó Bí thư Thường trực Tỉnh ủy"'),
    )
    electoral_unit = models.CharField(_("electoral unit"), max_length=200)
    delegate_group = models.ForeignKey(
        Organ,
        verbose_name=_("delegate group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_delegates",
        limit_choices_to={"kind": OrganKind.DELEGATE_GROUP},
    )
    is_full_time = models.BooleanField(_("full-time delegate"), default=False)
    start_date = models.DateField(_("in office from"))
    end_date = models.DateField(_("in office until"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for leaving office"),
        max_length=200,
        blank=True,
        help_text=_("Resigned, recalled, transferred, deceased…"),
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegacies",
    )
    published = models.BooleanField(
        _("published on the public portal"),
        default=True,
    )
    search_text = models.TextField(editable=False, default="")
    # Given name, then full name, in Vietnamese order (text.name_sort_key), kept by save().
    name_sort_key = models.CharField(max_length=700, editable=False, default="", db_index=True)

    history = HistoricalRecords(excluded_fields=["search_text", "name_sort_key"])
    objects = DelegateQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["name_sort_key", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="delegate_end_after_start",
                violation_error_message=_("The end of office cannot be before its start."),
            ),
        ]
        indexes = [models.Index(fields=["term", "start_date", "end_date"])]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("core:delegate-detail", args=[self.pk])

    @property
    def council(self) -> Council:
        return self.term.council

    def in_office_on(self, day: dt.date) -> bool:
        return (
            self.start_date <= day
            and (self.end_date is None or day <= self.end_date)
            and self.term.contains(day)
            and self.term.council.is_valid_on(day)
        )

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.term_id:
            if self.start_date and not self.term.contains(self.start_date):
                errors["start_date"] = _("The start of office must fall within the term.")
            if (
                self.delegate_group_id
                and self.delegate_group is not None
                and self.delegate_group.term_id != self.term_id
            ):
                errors["delegate_group"] = _("The delegate group must belong to the same term.")
        if self.end_date and not self.end_reason:
            errors["end_reason"] = _("Give the reason the delegate left office.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_normalise(
            " ".join([self.full_name, self.electoral_unit, self.position])
        )
        self.name_sort_key = name_sort_key(self.full_name)
        super().save(*args, **kwargs)


class Position(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    HEAD = "head", _("Head")
    DEPUTY_HEAD = "deputy_head", _("Deputy head")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    """A delegate's dated membership of an organ, with a position (chủ tịch, trưởng ban…)."""

    organ = models.ForeignKey(
        Organ, verbose_name=_("organ"), on_delete=models.CASCADE, related_name="memberships"
    )
    delegate = models.ForeignKey(
        Delegate, verbose_name=_("delegate"), on_delete=models.PROTECT, related_name="memberships"
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()
    objects = scoped_queryset("organ__council").as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organ", "position", "delegate__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegate} — {self.get_position_display()}, {self.organ}"

    def get_absolute_url(self) -> str:
        return reverse("core:membership-detail", args=[self.pk])

    @property
    def council(self) -> Council:
        return self.organ.council

    def title(self) -> str:
        """The position as it is written for this kind of organ: "Trưởng Ban", "Tổ trưởng"…"""
        kind = self.organ.kind
        titles: dict[str, Any]
        if kind == OrganKind.DELEGATE_GROUP:
            titles = {
                Position.HEAD: _("Group head"),
                Position.DEPUTY_HEAD: _("Deputy group head"),
                Position.MEMBER: _("Group member"),
            }
        elif kind == OrganKind.STANDING_COMMITTEE:
            titles = {Position.MEMBER: _("Standing Committee member")}
        else:
            titles = {
                Position.HEAD: _("Committee head"),
                Position.DEPUTY_HEAD: _("Deputy committee head"),
                Position.MEMBER: _("Committee member"),
            }
        return str(titles.get(self.position, self.get_position_display()))

    def clean(self) -> None:
        if self.organ_id and self.delegate_id and self.organ.term_id != self.delegate.term_id:
            raise ValidationError(
                {"delegate": _("The delegate must be elected in the same term as the organ.")}
            )
        if self.organ_id and self.delegate_id and self.start_date:
            overlapping = Membership.objects.filter(
                organ_id=self.organ_id, delegate_id=self.delegate_id
            ).exclude(pk=self.pk)
            for other in overlapping:
                other_end = other.end_date or dt.date.max
                own_end = self.end_date or dt.date.max
                if other.start_date <= own_end and self.start_date <= other_end:
                    raise ValidationError(
                        _("This delegate already has a membership of this organ in that period.")
                    )


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    DEPARTMENT = "department", _("Department or agency of the People's Committee")
    COURT = "court", _("People's Court")
    PROCURACY = "procuracy", _("People's Procuracy")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front Committee")
    ENFORCEMENT = "enforcement", _("Civil judgment enforcement")
    POLICE = "police", _("Police")
    OTHER = "other", _("Other")


class Agency(models.Model):
    """An external body the council works with and forwards items to (cơ quan, tổ chức)."""

    council = models.ForeignKey(
        Council,
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("The council that works with this agency."),
    )
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head_name = models.CharField(_("head of agency"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = scoped_queryset("council").as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["council__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "name"],
                name="agency_unique_name_per_council",
                violation_error_message=_("This council already has an agency with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:agency-detail", args=[self.pk])

    def clean(self) -> None:
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An agency cannot be its own parent.")})
        node = self.parent
        seen = 0
        while node is not None and seen < 50:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError(
                    {"parent": _("An agency cannot be placed below its own subordinate.")}
                )
            node = node.parent
            seen += 1

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_normalise(" ".join([self.name, self.short_name]))
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    CLERK = "clerk", _("Clerk")
    LEADER = "leader", _("Leader")
    HANDLER = "handler", _("Confidential petition handler")
    DELEGATE = "delegate", _("Delegate")
    ADMIN = "admin", _("Administrator")


class RoleAssignment(models.Model):
    """A user's role on a council (vai trò): what they may read and write there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="council_roles",
    )
    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()
    objects = scoped_queryset("council").as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["user__username", "council__path", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "council", "role"],
                name="role_unique",
                violation_error_message=_("This user already has this role on this council."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.council}"
