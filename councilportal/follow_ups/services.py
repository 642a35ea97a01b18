"""Follow-ups: opening one (every app through `follow_up_open`), answers, and due dates
(computed by the deadline engine)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from councilportal.deadlines import Deadline, due_date
from councilportal.models import (
    Agency,
    Council,
    FollowUp,
    FollowUpAnswer,
    FollowUpStatus,
    Organ,
)
from councilportal.typing import User

# The statuses of a follow-up still awaiting (the rest of) its answer.
OPEN_STATUSES = [FollowUpStatus.OPEN, FollowUpStatus.PARTLY_DONE]


# Called with each follow-up just opened (e.g. the agency workspace notifies the agency).
_opened: list[Callable[[FollowUp], None]] = []


def on_follow_up_opened(hook: Callable[[FollowUp], None]) -> Callable[[FollowUp], None]:
    """Register a function called (after commit) with every follow-up `follow_up_open` opens."""
    _opened.append(hook)
    return hook


def follow_up_open(
    *,
    source: models.Model,
    council: Council,
    to: Any,
    content: str,
    sent_on: dt.date,
    due: dt.date | str,
    explanation: str = "",
) -> FollowUp:
    """Open a follow-up owned by `source` (ARCHITECTURE.md §4), the one way every app does:
    addressed `to` an agency, a council or an organ (or several of them, None ignored), sent
    on a day and due on a date (`explanation` says how it was set) or by a rule key (counted
    from `sent_on` by the deadline engine, recomputed when the calendar changes; `RuleMissing`
    when none is in force). The model's rules (an addressee, a due date not before the day
    sent) are checked by `full_clean`, with their messages."""
    follow_up = FollowUp(
        council=council,
        source_type=ContentType.objects.get_for_model(type(source)),
        source_id=source.pk,
        content=content,
        sent_on=sent_on,
    )
    for addressee in to if isinstance(to, list | tuple) else [to]:
        if isinstance(addressee, Agency):
            follow_up.to_agency = addressee
        elif isinstance(addressee, Organ):
            follow_up.to_organ = addressee
        elif isinstance(addressee, Council):
            follow_up.to_council = addressee
    if isinstance(due, str):
        follow_up_set_due(follow_up=follow_up, rule_key=due, start=sent_on)
    else:
        follow_up.due_date, follow_up.due_explanation = due, explanation[:300]
    # The council and the source are the caller's saved records: not looked up again.
    follow_up.full_clean(exclude={"council", "source_type"}, validate_unique=False)
    follow_up.save()
    for hook in _opened:
        transaction.on_commit(lambda hook=hook: hook(follow_up))  # type: ignore[misc]
    return follow_up


def follow_up_answer(
    *,
    follow_up: FollowUp,
    received_on: Any,
    content: str,
    reference: str,
    progress: int,
    status: str,
    by: User | None,
) -> FollowUpAnswer:
    """Record an answer or progress report and move the follow-up's status and progress."""
    if received_on < follow_up.sent_on:
        raise ValidationError(_("An answer cannot be received before the item was sent."))
    with transaction.atomic():
        answer = FollowUpAnswer.objects.create(
            follow_up=follow_up,
            received_on=received_on,
            content=content,
            reference=reference,
            progress=progress,
            recorded_by=by,
        )
        follow_up.progress = 100 if status == FollowUpStatus.DONE else progress
        follow_up.status = status
        follow_up.closed_on = received_on if status == FollowUpStatus.DONE else None
        follow_up.save()
    return answer


def follow_up_set_due(*, follow_up: FollowUp, rule_key: str, start: Any) -> Deadline:
    """Set a follow-up's due date from a rule (deadline engine), keeping how it was computed so
    that a change of the holiday calendar recomputes it. The caller saves the follow-up."""
    deadline = due_date(rule_key, start, council=follow_up.council)
    follow_up.due_rule = rule_key
    follow_up.due_start = start
    follow_up.due_date = deadline.date
    # Stored in the portal's language; pages in another one build it again (portal tags).
    with translation.override(settings.LANGUAGE_CODE):
        follow_up.due_explanation = deadline.explanation[:300]
    return deadline


def follow_ups_recompute(day: Any) -> int:
    """Recompute the rule-based due dates of open follow-ups whose period may include `day`."""
    moved = 0
    candidates = (
        FollowUp.objects.open()
        .exclude(due_rule="")
        .filter(due_start__lte=day)
        .select_related("council")
    )
    for follow_up in candidates:
        # A period that ended well before the changed day cannot include it (the longest roll
        # over a holiday block is about ten days).
        if follow_up.due_date < day - dt.timedelta(days=15):
            continue
        old = follow_up.due_date
        follow_up_set_due(
            follow_up=follow_up, rule_key=follow_up.due_rule, start=follow_up.due_start
        )
        if follow_up.due_date != old:
            follow_up.save(update_fields=["due_date", "due_explanation"])
            moved += 1
    return moved


# The sessions an item stayed open across ------------------------------------------------------
# The council's sessions are kept by the sessions app, which declares them here from its
# AppConfig.ready (`session_dates_provide`): the core imports no app.

_session_dates: list[Callable[[bool], QuerySet[Any]]] = []


def session_dates_provide(source: Callable[[bool], QuerySet[Any]]) -> None:
    """Declare the council sessions: `source(regular_only)` gives the sessions (the regular
    ones only, or all), each with its `council_id` and its opening day annotated as `day`."""
    _session_dates[:] = [source]


def session_dates(*, regular_only: bool = False) -> QuerySet[Any]:
    if not _session_dates:
        raise ImproperlyConfigured("No app declares the council sessions.")
    return _session_dates[0](regular_only)


def sessions_across(records: Iterable[Any], *, on: dt.date, regular_only: bool = False) -> None:
    """The one "carried across sessions" computation: attach to each record (a follow-up, or a
    record owning one as `record.follow_up`, which may be None) `record.sessions_across`, the
    council sessions held while its follow-up was open, in order: those opening between the
    day it was sent and the day it was closed, both included (closed on the day a session
    opens, it was still open at it), or `on` while it is open. A record without a follow-up
    was carried across none. One query."""
    records = list(records)
    follow_ups = {id(r): r if isinstance(r, FollowUp) else r.follow_up for r in records}
    council_ids = {f.council_id for f in follow_ups.values() if f is not None}
    sessions = (
        list(
            session_dates(regular_only=regular_only)
            .filter(council_id__in=council_ids)
            .order_by("day", "pk")
        )
        if council_ids
        else []
    )
    for record in records:
        follow_up = follow_ups[id(record)]
        across = []
        if follow_up is not None:
            end = follow_up.closed_on or on
            across = [
                s
                for s in sessions
                if s.council_id == follow_up.council_id and follow_up.sent_on <= s.day <= end
            ]
        record.sessions_across = across


def carried_across(
    path: str, *, on: dt.date, regular_only: bool = False, besides: str | None = None
) -> Q:
    """The same in SQL, for filters and counts: the follow-up at `path` ("follow_up" from the
    record owning it) is still open and a session was held since it was sent (other than the
    record's own session, the field at `besides`)."""
    held = session_dates(regular_only=regular_only).filter(
        council_id=OuterRef(f"{path}__council_id"),
        day__gte=OuterRef(f"{path}__sent_on"),
        day__lte=on,
    )
    if besides:
        held = held.exclude(pk=OuterRef(besides))
    return Q(**{f"{path}__status__in": OPEN_STATUSES}) & Q(Exists(held))
