"""The agency workspace's writes: an agency answers or asks for more time; the council's clerk
accepts (the answer becomes the follow-up's answer through the core's `follow_up_answer`, as
if the clerk had typed it) or returns it, and accepts or refuses an extension (the new due date
is explained by the deadline engine and kept with the one it replaced)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from councilportal.deadlines import WorkingCalendar
from councilportal.documents.attachments import attachment_add
from councilportal.follow_ups.services import follow_up_answer
from councilportal.models import FollowUp, FollowUpAnswer, FollowUpStatus
from councilportal.notifications.services import notify
from councilportal.typing import User

from .access import may_answer, may_decide
from .models import (
    AgencyAnswer,
    AgencyMembership,
    AnswerState,
    ExtensionRequest,
    ExtensionState,
    ProposedStatus,
)

STATUS_OF_PROPOSAL = {
    ProposedStatus.DONE: FollowUpStatus.DONE,
    ProposedStatus.PARTLY: FollowUpStatus.PARTLY_DONE,
    ProposedStatus.CANNOT: FollowUpStatus.OPEN,
}


def _d(day: dt.date) -> str:
    return date_format(day, "d/m/Y")


def _check_open(follow_up: FollowUp) -> None:
    if follow_up.status not in (FollowUpStatus.OPEN, FollowUpStatus.PARTLY_DONE):
        raise ValidationError(_("This item is closed: it takes no more answers."))


# Who is told ----------------------------------------------------------------------------


def agency_people(agency_id: int | None) -> list[User]:
    """The active users of an agency (officers and heads)."""
    if agency_id is None:
        return []
    return [
        m.user
        for m in AgencyMembership.objects.filter(
            agency_id=agency_id, user__is_active=True
        ).select_related("user")
    ]


def _tell_agency(follow_up: FollowUp, key: str, title: str, body: str = "") -> int:
    sent = 0
    link = reverse("agencies:item-detail", args=[follow_up.pk])
    for user in agency_people(follow_up.to_agency_id):
        if notify(user=user, key=key, title=title, body=body, link=link):
            sent += 1
    return sent


def _tell_council(follow_up: FollowUp, key: str, title: str, body: str = "") -> int:
    from councilportal.follow_ups.reminders import clerks_of

    sent = 0
    link = reverse("agencies:queue")
    for user in clerks_of({follow_up.council_id}).get(follow_up.council_id, []):
        if notify(user=user, key=key, title=title, body=body, link=link, council=follow_up.council):
            sent += 1
    return sent


def follow_up_opened_notify(follow_up: FollowUp) -> None:
    """A new item for an agency: its people are told (in the portal and by e-mail)."""
    if follow_up.to_agency_id is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _tell_agency(
            follow_up,
            f"agency-item:{follow_up.pk}:new",
            _("New item, due %(date)s: %(content)s")
            % {"date": _d(follow_up.due_date), "content": follow_up.content[:150]},
        )


# The agency's side ------------------------------------------------------------------------


def agency_answer_submit(
    *,
    follow_up: FollowUp,
    by: User,
    text: str,
    reply_reference: str = "",
    reply_date: dt.date | None = None,
    progress: int = 0,
    proposed_status: str,
    cannot_reason: str = "",
    upload: Any = None,
    on: dt.date | None = None,
) -> AgencyAnswer:
    """An agency officer answers an item: the answer, signed by them, awaits the council. The
    file (if any) was checked by `validate_upload` in the form."""
    if not may_answer(by, follow_up) or follow_up.to_agency is None:
        raise PermissionDenied
    _check_open(follow_up)
    on = on or timezone.localdate()
    if on < follow_up.sent_on:
        raise ValidationError(_("An answer cannot be sent before the item was sent."))
    if reply_date and reply_date > on:
        raise ValidationError({"reply_date": _("The reply document cannot be dated later.")})
    if proposed_status == ProposedStatus.CANNOT and not cannot_reason.strip():
        raise ValidationError({"cannot_reason": _("Say why the item cannot be resolved.")})
    if proposed_status == ProposedStatus.DONE:
        progress = 100
    with transaction.atomic():
        if AgencyAnswer.objects.filter(follow_up=follow_up, state=AnswerState.SUBMITTED).exists():
            raise ValidationError(_("An answer to this item already awaits the council."))
        answer = AgencyAnswer.objects.create(
            follow_up=follow_up,
            agency=follow_up.to_agency,
            text=text,
            reply_reference=reply_reference,
            reply_date=reply_date,
            progress=progress,
            proposed_status=proposed_status,
            cannot_reason=cannot_reason if proposed_status == ProposedStatus.CANNOT else "",
            submitted_by=by,
            submitted_on=on,
        )
        if upload is not None:
            attachment_add(
                owner=answer,
                council=follow_up.council,
                upload=upload,
                title=reply_reference or upload.name,
                by=by,
            )
    with translation.override(settings.LANGUAGE_CODE):
        _tell_council(
            follow_up,
            f"agency-answer:{answer.pk}:new",
            _("%(agency)s answered: %(content)s")
            % {"agency": follow_up.to_agency, "content": follow_up.content[:150]},
        )
    return answer


def extension_request(
    *,
    follow_up: FollowUp,
    by: User,
    reason: str,
    proposed_date: dt.date,
    on: dt.date | None = None,
) -> ExtensionRequest:
    """An agency asks for more time on an open item, with a reason and the date it proposes."""
    if not may_answer(by, follow_up) or follow_up.to_agency is None:
        raise PermissionDenied
    _check_open(follow_up)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why more time is needed.")})
    if proposed_date <= follow_up.due_date:
        raise ValidationError(
            {
                "proposed_date": _("Propose a date after the current due date (%(date)s).")
                % {"date": _d(follow_up.due_date)}
            }
        )
    with transaction.atomic():
        if ExtensionRequest.objects.filter(
            follow_up=follow_up, state=ExtensionState.PENDING
        ).exists():
            raise ValidationError(_("A request for this item already awaits the council."))
        request = ExtensionRequest.objects.create(
            follow_up=follow_up,
            agency=follow_up.to_agency,
            reason=reason,
            proposed_date=proposed_date,
            requested_by=by,
            requested_on=on or timezone.localdate(),
        )
    with translation.override(settings.LANGUAGE_CODE):
        _tell_council(
            follow_up,
            f"agency-extension:{request.pk}:new",
            _("%(agency)s asks for more time, until %(date)s: %(content)s")
            % {
                "agency": follow_up.to_agency,
                "date": _d(proposed_date),
                "content": follow_up.content[:150],
            },
        )
    return request


# The council's side -----------------------------------------------------------------------


def _check_decider(by: User, follow_up: FollowUp) -> None:
    if not may_decide(by, follow_up):
        raise PermissionDenied


def _mark_answered(follow_up: FollowUp, day: dt.date) -> None:
    """A record that owns the follow-up and keeps the day of its first answer (a petition
    item's `answered_on`) gets it, as when the clerk records the answer on its own page."""
    from django.apps import apps

    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if {"follow_up", "answered_on"} <= names:
            related = model._meta.get_field("follow_up")
            if getattr(related, "related_model", None) is FollowUp:
                model._default_manager.filter(
                    follow_up_id=follow_up.pk, answered_on__isnull=True
                ).update(answered_on=day)


def agency_answer_accept(
    *, answer: AgencyAnswer, by: User, status: str | None = None
) -> FollowUpAnswer:
    """Accept an answer: it becomes the follow-up's answer (received on the day the agency sent
    it), through the core's service, exactly as if the clerk had typed it; `status` is the
    follow-up's new status (by default the one the agency proposed)."""
    follow_up = answer.follow_up
    _check_decider(by, follow_up)
    with transaction.atomic():
        locked = AgencyAnswer.objects.select_for_update().get(pk=answer.pk)
        if locked.state != AnswerState.SUBMITTED:
            raise ValidationError(_("This answer has already been decided."))
        content = locked.text
        if locked.proposed_status == ProposedStatus.CANNOT:
            content += "\n" + _("Cannot be resolved: %(reason)s") % {"reason": locked.cannot_reason}
        if locked.reply_date:
            content += "\n" + _("Reply document dated %(date)s.") % {"date": _d(locked.reply_date)}
        recorded = follow_up_answer(
            follow_up=follow_up,
            received_on=locked.submitted_on,
            content=content,
            reference=locked.reply_reference,
            progress=locked.progress,
            status=status or STATUS_OF_PROPOSAL[ProposedStatus(locked.proposed_status)],
            by=by,
        )
        _mark_answered(follow_up, locked.submitted_on)
        AgencyAnswer.objects.filter(pk=locked.pk).update(
            state=AnswerState.ACCEPTED,
            decided_by=by,
            decided_at=timezone.now(),
            follow_up_answer=recorded,
        )
    answer.refresh_from_db()
    return recorded


def agency_answer_return(*, answer: AgencyAnswer, by: User, reason: str) -> AgencyAnswer:
    """Return an answer to the agency with a reason it reads; it may answer again."""
    follow_up = answer.follow_up
    _check_decider(by, follow_up)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the answer is returned.")})
    with transaction.atomic():
        locked = AgencyAnswer.objects.select_for_update().get(pk=answer.pk)
        if locked.state != AnswerState.SUBMITTED:
            raise ValidationError(_("This answer has already been decided."))
        locked.state = AnswerState.RETURNED
        locked.return_reason = reason
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save()
    with translation.override(settings.LANGUAGE_CODE):
        _tell_agency(
            follow_up,
            f"agency-answer:{locked.pk}:returned",
            _("Your answer was returned: %(reason)s") % {"reason": reason[:200]},
            body=follow_up.content[:300],
        )
    return locked


def extension_explanation(request: ExtensionRequest, due: dt.date, on: dt.date) -> str:
    """How an extended due date was set, in the portal's language, with the day off it falls
    on when it does (the deadline engine's calendar)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "Extended from %(old)s to %(new)s at the request of %(agency)s of %(asked)s, "
            "accepted on %(on)s."
        ) % {
            "old": _d(request.follow_up.due_date),
            "new": _d(due),
            "agency": request.follow_up.to_agency,
            "asked": _d(request.requested_on),
            "on": _d(on),
        }
    return text[:300]


def extension_accept(
    *,
    request: ExtensionRequest,
    by: User,
    due: dt.date | None = None,
    note: str = "",
    on: dt.date | None = None,
) -> FollowUp:
    """Accept a request for more time: the follow-up's due date moves to the proposed date (or
    the one the clerk sets), explained, and no longer follows a rule (a calendar change must not
    move it back); the date it replaced is kept on the request. A date that falls on a day off
    rolls to the next working day, as the deadline engine rolls a period's last day."""
    follow_up = request.follow_up
    _check_decider(by, follow_up)
    on = on or timezone.localdate()
    due = due or request.proposed_date
    calendar = WorkingCalendar()
    asked = due
    while not calendar.is_working_day(due):
        due += dt.timedelta(days=1)
    if due <= follow_up.due_date:
        raise ValidationError({"due": _("The new due date must be after the current one.")})
    with transaction.atomic():
        locked = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state != ExtensionState.PENDING:
            raise ValidationError(_("This request has already been decided."))
        explanation = extension_explanation(locked, due, on)
        if due != asked:
            with translation.override(settings.LANGUAGE_CODE):
                explanation = (
                    explanation
                    + " "
                    + _("%(day)s is a day off (%(reason)s): moved to the next working day.")
                    % {"day": _d(asked), "reason": calendar.reason_off(asked)}
                )[:300]
        locked.state = ExtensionState.ACCEPTED
        locked.decided_by, locked.decided_on, locked.decision_note = by, on, note
        locked.old_due, locked.new_due = follow_up.due_date, due
        locked.new_explanation = explanation
        locked.save()
        follow_up.due_date = due
        follow_up.due_explanation = explanation
        follow_up.due_rule, follow_up.due_start = "", None
        follow_up.save(update_fields=["due_date", "due_explanation", "due_rule", "due_start"])
    with translation.override(settings.LANGUAGE_CODE):
        _tell_agency(
            follow_up,
            f"agency-extension:{locked.pk}:accepted",
            _("More time granted, until %(date)s: %(content)s")
            % {"date": _d(due), "content": follow_up.content[:150]},
        )
    return follow_up


def extension_refuse(*, request: ExtensionRequest, by: User, note: str) -> ExtensionRequest:
    follow_up = request.follow_up
    _check_decider(by, follow_up)
    if not note.strip():
        raise ValidationError({"note": _("Say why the extension is refused.")})
    with transaction.atomic():
        locked = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state != ExtensionState.PENDING:
            raise ValidationError(_("This request has already been decided."))
        locked.state = ExtensionState.REFUSED
        locked.decided_by, locked.decided_on = by, timezone.localdate()
        locked.decision_note = note
        locked.save()
    with translation.override(settings.LANGUAGE_CODE):
        _tell_agency(
            follow_up,
            f"agency-extension:{locked.pk}:refused",
            _("More time refused: %(reason)s") % {"reason": note[:200]},
            body=follow_up.content[:300],
        )
    return locked
