"""Printable documents of the petitions app (Decree 30 layout): the forwarding slip (phiếu
chuyển, PC), the guidance letter, the reminder letter (đôn đốc), the aggregate report of
voters' recommendations and the follow-up table for the next session.

A denunciation's documents are redacted: the denouncer appears as "Người tố cáo (bảo mật)"
(Law on Denunciations 2018, arts 47, 49: the forwarding body strips the identity from copies it
passes on). Only the guidance letter has an unredacted kind, which only handlers may read and
whose request is logged by the view (`petition_unredacted_copy`), never by this module.

The kinds are exported (`FORWARDING_SLIP`, ...): code names a kind by its constant. Each kind's
`queryset` loads the source with what its context reads, so the builders load it only once.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councilportal.councils.documents import signer_of
from councilportal.documents.attachments import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    Attachable,
    register_attachable,
)
from councilportal.documents.registry import (
    DocumentKind,
    on_attachment_download,
    register,
)
from councilportal.documents.render import doc_number, vn_date_line
from councilportal.follow_ups.services import sessions_across
from councilportal.models import Term
from councilportal.typing import User
from sessions.models import Session

from .access import (
    Identity,
    can_read_unredacted_copy,
    can_request_guidance_letter,
    label,
    log_read,
    reveal_for_document,
)
from .models import (
    ForwardingSlip,
    IdentityAccess,
    Petition,
    Petitioner,
    PetitionItem,
    ReminderLetter,
    VoterMeeting,
    VoterRecommendation,
)


def _signer(council: Any, day: Any) -> Any:
    term = Term.objects.filter(council=council, start_date__lte=day).order_by("-start_date").first()
    return signer_of(term) if term else None


def _petition_parts(petition: Petition) -> dict[str, Any]:
    confidential = petition.is_confidential
    identities: list[Identity] = [] if confidential else reveal_for_document(petition)
    representative = next((i for i in identities if i.is_representative), None) or (
        identities[0] if identities else None
    )
    return {
        "petition": petition,
        "confidential": confidential,
        "petitioner_label": label(petition, identities),
        # Whom a letter to the citizen is addressed to: the representative of a group.
        "addressee": representative.full_name if representative else label(petition, identities),
        # The address only when the petition is not confidential.
        "petitioner_address": representative.address if representative else "",
    }


# What a letter about an item reads of it (its petition, agency, follow-up, the other items).
_ITEM = ("petition__council", "agency", "follow_up")


def _of_item(model: Any, path: str = "") -> Any:
    return model.objects.select_related(*(path + name for name in _ITEM)).prefetch_related(
        Prefetch(path + "petition__items")
    )


def slip_context(slip: ForwardingSlip) -> dict[str, Any]:
    item = slip.item
    council = slip.council
    return {
        "council": council,
        "slip": slip,
        "item": item,
        "number": doc_number(slip.number),
        "symbol": "PC-HĐND",
        "date_line": vn_date_line(council.place_name, slip.issued_on),
        "signer": _signer(council, slip.issued_on),
        **_petition_parts(item.petition),
    }


FORWARDING_SLIP = register(
    DocumentKind(
        key="petitions.forwarding-slip",
        label=_("Forwarding slip"),
        model=ForwardingSlip,
        template="petitions/pdf/forwarding_slip.html",
        build_context=slip_context,
        title=lambda slip: f"Phiếu chuyển đơn số {slip.number:02d}/PC-HĐND",
        queryset=_of_item(ForwardingSlip, "item__").select_related("council"),
    )
)


def guidance_context(item: PetitionItem) -> dict[str, Any]:
    council = item.petition.council
    day = item.triaged_on or timezone.localdate()
    return {
        "council": council,
        "item": item,
        "symbol": "HĐND-VP",
        "date_line": vn_date_line(council.place_name, day),
        "signer": _signer(council, day),
        **_petition_parts(item.petition),
    }


def unredacted_guidance_context(item: PetitionItem) -> dict[str, Any]:
    context = guidance_context(item)
    identities = reveal_for_document(item.petition)
    representative = next((i for i in identities if i.is_representative), None) or (
        identities[0] if identities else None
    )
    context.update(
        addressee=representative.full_name if representative else context["addressee"],
        petitioner_address=representative.address if representative else "",
        unredacted=True,
    )
    return context


GUIDANCE_LETTER = register(
    DocumentKind(
        key="petitions.guidance-letter",
        label=_("Guidance letter"),
        model=PetitionItem,
        template="petitions/pdf/guidance_letter.html",
        build_context=guidance_context,
        title=lambda item: (
            f"Văn bản hướng dẫn, đơn số {item.petition.number:02d}/{item.petition.year}"
        ),
        can_request=can_request_guidance_letter,
        queryset=_of_item(PetitionItem),
    )
)


GUIDANCE_LETTER_UNREDACTED = register(
    DocumentKind(
        key="petitions.guidance-letter-unredacted",
        label=_("Guidance letter (unredacted copy)"),
        model=PetitionItem,
        template="petitions/pdf/guidance_letter.html",
        build_context=unredacted_guidance_context,
        title=lambda item: (
            f"Văn bản hướng dẫn (bản đầy đủ), đơn số {item.petition.number:02d}/"
            f"{item.petition.year}"
        ),
        can_read=can_read_unredacted_copy,
        # Never through the generic "Generate PDF" button: only the logged view asks for it.
        can_request=lambda user, item: False,
        # Every download is a read of the identity (DOMAIN.md §2): logged, like the request.
        on_download=lambda user, item: log_read(
            petition=item.petition, by=user, action=IdentityAccess.UNREDACTED_DOWNLOAD
        ),
        confidential=True,  # stored encrypted with the field keys
        queryset=_of_item(PetitionItem),
    )
)


def reminder_context(letter: ReminderLetter) -> dict[str, Any]:
    item = letter.item
    council = letter.council
    slip = ForwardingSlip.objects.filter(item=item).first()
    return {
        "council": council,
        "letter": letter,
        "item": item,
        "slip": slip,
        "number": doc_number(letter.number),
        "symbol": "HĐND-VP",
        "date_line": vn_date_line(council.place_name, letter.sent_on),
        "signer": _signer(council, letter.sent_on),
        **_petition_parts(item.petition),
    }


REMINDER_LETTER = register(
    DocumentKind(
        key="petitions.reminder-letter",
        label=_("Reminder letter"),
        model=ReminderLetter,
        template="petitions/pdf/reminder_letter.html",
        build_context=reminder_context,
        title=lambda letter: f"Công văn đôn đốc số {letter.number:02d}/HĐND-VP",
        queryset=_of_item(ReminderLetter, "item__").select_related("council"),
    )
)


def _recommendations(session: Any) -> list[VoterRecommendation]:
    """The session's recommendations with their follow-ups, answers and the regular sessions
    each was carried across (the core's `sessions_across`, one query)."""
    rows = list(
        VoterRecommendation.objects.filter(session=session, merged_into__isnull=True)
        .select_related("agency", "committee", "follow_up")
        .prefetch_related("follow_up__answers")
        .order_by("field", "pk")
    )
    sessions_across(rows, on=timezone.localdate(), regular_only=True)
    return rows


def aggregate_context(session: Session) -> dict[str, Any]:
    council = session.council
    rows = _recommendations(session)
    return {
        "council": council,
        "session": session,
        "rows": rows,
        "total_raised": sum(r.times_raised for r in rows),
        "symbol": "BC-HĐND",
        "date_line": vn_date_line(council.place_name, timezone.localdate()),
        "signer": signer_of(session.term),
    }


def follow_up_table_context(session: Session) -> dict[str, Any]:
    context = aggregate_context(session)
    context["symbol"] = "BC-HĐND"
    return context


_SESSION = Session.objects.select_related("council", "term")

VOTER_REPORT = register(
    DocumentKind(
        key="petitions.voter-report",
        label=_("Aggregate report of voters' recommendations"),
        model=Session,
        template="petitions/pdf/voter_report.html",
        build_context=aggregate_context,
        title=lambda s: f"Báo cáo tổng hợp ý kiến, kiến nghị cử tri — {s}",
        queryset=_SESSION,
    )
)
VOTER_FOLLOW_UP = register(
    DocumentKind(
        key="petitions.voter-follow-up",
        label=_("Follow-up table of voters' recommendations"),
        model=Session,
        template="petitions/pdf/voter_follow_up.html",
        build_context=follow_up_table_context,
        title=lambda s: f"Bảng theo dõi kết quả giải quyết kiến nghị cử tri — {s}",
        queryset=_SESSION,
    )
)


def _scan_downloaded(user: User, petitioner_id: int) -> None:
    """A scan of a denunciation (handwriting, signature) belongs to its petitioner record and
    only handlers download it (the core asks `Petitioner.objects.visible_to`): log each one."""
    person = Petitioner.objects.select_related("petition__council").get(pk=petitioner_id)
    log_read(petition=person.petition, by=user, action=IdentityAccess.SCAN_DOWNLOAD)


on_attachment_download(Petitioner, _scan_downloaded)


# The minutes (biên bản) of a voter-contact meeting.
register_attachable(
    Attachable(
        model=VoterMeeting,
        council_of=lambda m: m.council,
        types=(PDF, DOCX, JPEG, PNG),
        label=_("Minutes (PDF, DOCX, JPEG or PNG)"),
        help_text=_("Checked by its content."),
        default_title=_("Minutes"),
    )
)
