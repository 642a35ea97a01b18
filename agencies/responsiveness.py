"""How responsive each agency is: items received, answered on time or late, overdue without an
answer, the median days to answer and the share by field — from the records (follow-ups, their
answers, the accepted extensions), whoever typed the answers.

On time means: the first answer's date is on or before the due date in force on that day
(answered on the due day is on time, the day after is late); an extension counts from the day
the council accepted it (`due_in_force`).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from django.apps import apps
from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from councilportal.models import Agency, FollowUp, FollowUpAnswer, FollowUpStatus


class Extension(Protocol):
    @property
    def decided_on(self) -> dt.date | None: ...
    @property
    def old_due(self) -> dt.date | None: ...
    @property
    def new_due(self) -> dt.date | None: ...


def due_in_force(current_due: dt.date, accepted: Sequence[Extension], day: dt.date) -> dt.date:
    """The due date in force on `day`: before the first accepted extension, the due date it
    replaced; then the new date of the last extension accepted on or before that day."""
    ordered = sorted(
        (e for e in accepted if e.decided_on and e.old_due and e.new_due),
        key=lambda e: e.decided_on or day,
    )
    if not ordered:
        return current_due
    due = ordered[0].old_due
    for extension in ordered:
        if extension.decided_on and extension.decided_on <= day:
            due = extension.new_due
    assert due is not None
    return due


def answered_on_time(answered_on: dt.date, due: dt.date) -> bool:
    """Answered on the due day is on time; the day after is late."""
    return answered_on <= due


@dataclass
class AgencyRow:
    agency: Any
    received: int = 0
    on_time: int = 0
    late: int = 0
    overdue_unanswered: int = 0
    days: list[int] = field(default_factory=list)
    fields: Counter[str] = field(default_factory=Counter)

    @property
    def answered(self) -> int:
        return self.on_time + self.late

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.received if self.received else None

    def field_shares(self) -> list[tuple[str, int, float]]:
        total = sum(self.fields.values())
        return [
            (label, count, count / total) for label, count in self.fields.most_common() if total
        ]


@cache
def _field_sources() -> tuple[list[tuple[Any, str]], list[tuple[Any, str]]]:
    """Models that carry a field (lĩnh vực): (those a follow-up's source may be, keyed by the
    source's id) and (those that own a follow-up by a `follow_up` key, e.g. a petition item)."""
    by_source, by_follow_up = [], []
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if "field" not in names or not getattr(model._meta.get_field("field"), "choices", None):
            continue
        by_source.append((model, "pk"))
        if "follow_up" in names:
            related = model._meta.get_field("follow_up")
            if getattr(related, "related_model", None) is FollowUp:
                by_follow_up.append((model, "follow_up_id"))
    return by_source, by_follow_up


def fields_of(follow_ups: Sequence[Any]) -> dict[int, str]:
    """{follow-up id: the label of its field}, for those whose record has one (a query per
    model that has fields among the sources)."""
    from django.contrib.contenttypes.models import ContentType

    found: dict[int, str] = {}
    if not follow_ups:
        return found
    by_source, by_follow_up = _field_sources()
    ids = [f.pk for f in follow_ups]
    for model, key in by_follow_up:
        labels = dict(model._meta.get_field("field").choices)
        rows = model._default_manager.filter(follow_up_id__in=ids).values_list(key, "field")
        for follow_up_id, value in rows:
            found.setdefault(follow_up_id, str(labels.get(value, value)))
    wanted: dict[int, list[Any]] = defaultdict(list)
    for f in follow_ups:
        if f.pk not in found:
            wanted[f.source_type_id].append(f)
    for model, _key in by_source:
        ct = ContentType.objects.get_for_model(model)
        items = wanted.get(ct.pk)
        if not items:
            continue
        labels = dict(model._meta.get_field("field").choices)
        values = dict(
            model._default_manager.filter(pk__in=[f.source_id for f in items]).values_list(
                "pk", "field"
            )
        )
        for f in items:
            if f.source_id in values:
                found[f.pk] = str(labels.get(values[f.source_id], values[f.source_id]))
    return found


def first_answers(ids: Iterable[int]) -> dict[int, dt.date]:
    return dict(
        FollowUpAnswer.objects.filter(follow_up_id__in=list(ids))
        .values("follow_up_id")
        .annotate(first=Min("received_on"))
        .values_list("follow_up_id", "first")
    )


def accepted_extensions(ids: Iterable[int]) -> dict[int, list[Any]]:
    from .models import ExtensionRequest, ExtensionState

    found: dict[int, list[Any]] = defaultdict(list)
    for extension in ExtensionRequest.objects.filter(
        follow_up_id__in=list(ids), state=ExtensionState.ACCEPTED
    ).only("follow_up_id", "decided_on", "old_due", "new_due"):
        found[extension.follow_up_id].append(extension)
    return found


@dataclass
class ItemFacts:
    """One follow-up's responsiveness facts."""

    follow_up: Any
    answered_on: dt.date | None
    due: dt.date  # the due date in force on the answer's day (or today's, unanswered)
    on_time: bool | None  # None: not answered
    overdue: bool
    field: str = ""


def facts(follow_ups: Sequence[Any], on: dt.date | None = None) -> list[ItemFacts]:
    """The facts of each follow-up: three queries whatever their number."""
    on = on or timezone.localdate()
    ids = [f.pk for f in follow_ups]
    answers = first_answers(ids)
    extensions = accepted_extensions(ids)
    labels = fields_of(follow_ups)
    found = []
    for follow_up in follow_ups:
        answered = answers.get(follow_up.pk)
        accepted = extensions.get(follow_up.pk, [])
        if answered is not None:
            due = due_in_force(follow_up.due_date, accepted, answered)
            found.append(
                ItemFacts(follow_up, answered, due, answered_on_time(answered, due), False)
            )
        else:
            due = due_in_force(follow_up.due_date, accepted, on)
            overdue = follow_up.status in (FollowUpStatus.OPEN, FollowUpStatus.PARTLY_DONE) and (
                due < on
            )
            found.append(ItemFacts(follow_up, None, due, None, overdue))
        found[-1].field = labels.get(follow_up.pk, "")
    return found


def received_in(queryset: QuerySet[FollowUp], start: dt.date, end: dt.date) -> QuerySet[FollowUp]:
    """The follow-ups sent to agencies in a period (cancelled ones left out)."""
    return (
        queryset.filter(to_agency__isnull=False, sent_on__gte=start, sent_on__lte=end)
        .exclude(status=FollowUpStatus.CANCELLED)
        .only(
            "pk",
            "council_id",
            "to_agency_id",
            "sent_on",
            "due_date",
            "status",
            "source_type_id",
            "source_id",
        )
    )


def agency_rows(follow_ups: Sequence[Any], on: dt.date | None = None) -> list[AgencyRow]:
    """One row per agency, the most items first."""
    rows: dict[int, AgencyRow] = {}
    for item in facts(follow_ups, on):
        follow_up = item.follow_up
        row = rows.setdefault(follow_up.to_agency_id, AgencyRow(agency=None))
        row.received += 1
        if item.on_time is True:
            row.on_time += 1
        elif item.on_time is False:
            row.late += 1
        elif item.overdue:
            row.overdue_unanswered += 1
        if item.answered_on is not None:
            row.days.append((item.answered_on - follow_up.sent_on).days)
        if item.field:
            row.fields[item.field] += 1
    agencies = Agency.objects.in_bulk(list(rows))
    for pk, row in rows.items():
        row.agency = agencies.get(pk)
    return sorted(rows.values(), key=lambda r: (-r.received, str(r.agency)))


def council_filter(root: Any, include_below: bool) -> Q:
    if root is None:
        return Q()
    if include_below:
        return Q(council__path__startswith=root.path)
    return Q(council=root)
