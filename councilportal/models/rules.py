"""The rules: time limits and thresholds by key and date, and the calendar's overrides."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councilportal.models.councils import Council

if TYPE_CHECKING:
    pass


class RuleUnit(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    WORKING_DAYS = "working_days", _("working days")
    FRACTION = "fraction", _("fraction")
    COUNT = "count", _("count")


class Rule(models.Model):
    """A legal number held as effective-dated data (quy định): a day count, a threshold or a
    lead time, with the legal basis it comes from. A new law is a new row, not a deploy."""

    key = models.CharField(_("key"), max_length=80, db_index=True)
    description = models.CharField(_("description"), max_length=300)
    value = models.CharField(
        _("value"), max_length=20, help_text=_('A whole number ("10") or a fraction ("2/3").')
    )
    unit = models.CharField(_("unit"), max_length=20, choices=RuleUnit.choices)
    strict = models.BooleanField(
        _("strictly more than"),
        default=False,
        help_text=_("For thresholds: more than the fraction (on), or at least it (off)."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    council = models.ForeignKey(
        Council,
        verbose_name=_("council"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
        help_text=_("Empty for a rule of law; a council for its own working rules."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["key", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="rule_valid_period",
                violation_error_message=_("The end of validity cannot be before its start."),
            ),
            models.UniqueConstraint(
                fields=["key", "council", "valid_from"],
                name="rule_unique_start",
                violation_error_message=_("A row of this rule already starts on that date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} ({self.get_unit_display()}; {self.legal_basis})"

    def clean(self) -> None:
        try:
            self.as_fraction()
        except (ValueError, ZeroDivisionError):
            raise ValidationError(
                {"value": _("Enter a whole number or a fraction such as 2/3.")}
            ) from None

    def as_fraction(self) -> Fraction:
        return Fraction(self.value.strip())

    @property
    def days(self) -> int:
        return int(self.as_fraction())

    def reached(self, count: int, total: int) -> bool:
        """Whether `count` of `total` reaches this threshold, in integer arithmetic:
        more than half is count × 2 > total; two thirds is count × 3 ≥ total × 2."""
        share = self.as_fraction()
        left, right = count * share.denominator, total * share.numerator
        return left > right if self.strict else left >= right


class RuleMissing(LookupError):
    pass


def rule(key: str, *, on: dt.date, council: Council | None = None) -> Rule:
    """The rule row in force for `key` on a date (a council's own row before the general one),
    or `RuleMissing`: asked of a `RuleBook` of that key, the one place the precedence is
    written."""
    from councilportal.deadlines import RuleBook

    return RuleBook([key]).rule(key, on=on, council=council)


class CalendarOverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off")
    WORKING_DAY = "working_day", _("Working day")


class CalendarOverride(models.Model):
    """A day the government adds or swaps (ngày nghỉ bù, ngày làm bù): a day off the holiday
    library does not know, or a weekend day worked in exchange. It wins over the library."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CalendarOverrideKind.choices)
    name = models.CharField(_("name"), max_length=200, help_text=_('e.g. "Nghỉ bù Quốc khánh"'))
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        blank=True,
        help_text=_("The notice or decision announcing it."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"

    @property
    def is_day_off(self) -> bool:
        return self.kind == CalendarOverrideKind.DAY_OFF
