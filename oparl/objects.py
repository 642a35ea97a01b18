"""The OParl 1.1 object types and how each is made from the portal's records.

A `Kind` names an OParl type, the model behind it, its public queryset (`publication.py`), how
one record becomes a JSON object, and how its deleted records (tombstones, `deleted: true`) are
found in the model's history table (django-simple-history). `created` and `modified` are the
first and last dates of the record's history rows, in the Asia/Ho_Chi_Minh offset.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, Model, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from councilportal.models import (
    Attachment,
    Council,
    Delegate,
    GeneratedDocument,
    Membership,
    Organ,
    Term,
)
from councilportal.models.councils import OrganKind
from resolutions.models import Resolution, Submission
from sessions.models import AgendaItem, Meeting, Session

from . import publication

OPARL_VERSION = "https://schema.oparl.org/1.1/"
TYPE = OPARL_VERSION + "{}"


_PK = 987654321  # a stand-in pk: each URL pattern is reversed once, then filled in


@functools.cache
def _route(name: str) -> tuple[str, str]:
    """A URL name's path around its pk ("/api/oparl/v1/people/", "/"): a page of objects
    makes thousands of links, and reverse() on each would cost a good part of the page."""
    path = reverse(f"oparl:{name}", args=[_PK])
    head, tail = path.split(str(_PK))
    return head, tail


class Ctx:
    """What building URLs needs: the site's absolute address, taken from the request once."""

    def __init__(self, request: HttpRequest) -> None:
        self.base = request.build_absolute_uri("/").rstrip("/")

    def url(self, name: str, pk: int | None = None) -> str:
        if pk is None:
            return self.base + reverse(f"oparl:{name}")
        head, tail = _route(name)
        return f"{self.base}{head}{pk}{tail}"


def stamp(value: dt.datetime | None) -> str | None:
    """ISO 8601 with the Vietnamese offset: "2026-12-04T21:05:00+07:00"."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def with_times(qs: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate `oparl_created` and `oparl_modified` from the record's history rows."""
    history = qs.model.history.model  # type: ignore[attr-defined]
    rows = history.objects.filter(id=OuterRef("pk")).order_by()
    return qs.annotate(
        oparl_created=Subquery(rows.order_by("history_date").values("history_date")[:1]),
        oparl_modified=Subquery(rows.order_by("-history_date").values("history_date")[:1]),
    )


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """OParl leaves out empty values rather than writing null or "" (spec 2.4)."""
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def times(obj: Any) -> dict[str, Any]:
    return {
        "created": stamp(getattr(obj, "oparl_created", None)),
        "modified": stamp(getattr(obj, "oparl_modified", None)),
    }


@dataclass(frozen=True)
class Kind:
    """One OParl type served from one model."""

    oparl_type: str
    url_name: str
    model: type[Model]
    queryset: Callable[[], QuerySet[Any]]
    serialize: Callable[[Any, Ctx], dict[str, Any]]
    # The lookup from the model to its council's pk (a body's lists).
    council_field: str
    # Which history rows of deleted records belong to a body (their own council, or their
    # parent's, looked up among the live parents).
    history_council: Callable[[int], Q] | None = None
    # The fields of a deleted record kept in its tombstone besides id, type, created, modified
    # (those its schema requires).
    tombstone_extra: Callable[[Any, Ctx], dict[str, Any]] = field(default=lambda row, ctx: {})
    # For a kind with publication flags: the history fields that say the record was public
    # when it was deleted (a record deleted while unpublished leaves no tombstone).
    history_flags: tuple[str, ...] = ()
    # Annotates `oparl_created` and `oparl_modified` (the filters and the objects read them).
    stamped: Callable[[QuerySet[Any]], QuerySet[Any]] = with_times
    timed: bool = True

    def live(self) -> QuerySet[Any]:
        return self.stamped(self.queryset())

    def tombstones(self) -> QuerySet[Any] | None:
        """History rows of the deleted (and then public) records, with their times."""
        if not self.timed or not hasattr(self.model, "history"):
            return None
        history = self.model.history.model  # type: ignore[attr-defined]
        first = (
            history.objects.filter(id=OuterRef("id"))
            .order_by("history_date")
            .values("history_date")[:1]
        )
        rows = history.objects.filter(history_type="-").exclude(
            id__in=self.model._default_manager.values("pk")
        )
        rows = rows.filter(**{flag: True for flag in self.history_flags})
        return rows.annotate(oparl_created=Subquery(first), oparl_modified=Subquery(first))

    def tombstone(self, row: Any, ctx: Ctx) -> dict[str, Any]:
        return {
            "id": ctx.url(self.url_name, row.id),
            "type": TYPE.format(self.oparl_type),
            **self.tombstone_extra(row, ctx),
            "created": stamp(row.oparl_created),
            "modified": stamp(row.history_date),
            "deleted": True,
        }


def _base(kind_type: str, url_name: str, obj: Any, ctx: Ctx) -> dict[str, Any]:
    return {"id": ctx.url(url_name, obj.pk), "type": TYPE.format(kind_type)}


# --- Body, LegislativeTerm, Location --------------------------------------------------------

BODY_LISTS = {
    "organization": "body-organizations",
    "person": "body-people",
    "meeting": "body-meetings",
    "paper": "body-papers",
    "legislativeTermList": "body-terms",
    "agendaItem": "body-agenda-items",
    "consultation": "body-consultations",
    "file": "body-files",
    "locationList": "body-locations",
    "membership": "body-memberships",
}


def body_location(council: Council, ctx: Ctx) -> dict[str, Any]:
    return clean(
        {
            **_base("Location", "body-location", council, ctx),
            "description": council.address,
            "locality": council.place_name,
            "bodies": [ctx.url("body-detail", council.pk)],
            **times(council),
        }
    )


def term(obj: Term, ctx: Ctx) -> dict[str, Any]:
    return clean(
        {
            **_base("LegislativeTerm", "term-detail", obj, ctx),
            "body": ctx.url("body-detail", obj.council_id),
            "name": obj.name,
            "startDate": day(obj.start_date),
            "endDate": day(obj.end_date),
            **times(obj),
        }
    )


def body(obj: Council, ctx: Ctx) -> dict[str, Any]:
    data = {
        **_base("Body", "body-detail", obj, ctx),
        "system": ctx.url("system"),
        "shortName": obj.code,
        "name": obj.name,
        "classification": str(obj.get_level_display()),
        "contactEmail": obj.email,
        **{key: ctx.url(name, obj.pk) for key, name in BODY_LISTS.items()},
        "legislativeTerm": [term(t, ctx) for t in obj.oparl_terms],  # type: ignore[attr-defined]
        "location": body_location(obj, ctx) if obj.address else None,
        **times(obj),
    }
    return clean(data) | {"legislativeTerm": data["legislativeTerm"]}


def _body_tombstone(row: Any, ctx: Ctx) -> dict[str, Any]:
    return {"name": row.name, **{key: ctx.url(name, row.id) for key, name in BODY_LISTS.items()}}


def _bodies() -> QuerySet[Council]:
    return publication.councils().prefetch_related(
        Prefetch("terms", queryset=with_times(publication.terms()), to_attr="oparl_terms")
    )


# --- Organization, Person, Membership -------------------------------------------------------

GREMIUM = {OrganKind.DELEGATE_GROUP: "Sonstiges"}


def organization(obj: Organ, ctx: Ctx) -> dict[str, Any]:
    return clean(
        {
            **_base("Organization", "organization-detail", obj, ctx),
            "body": ctx.url("body-detail", obj.council_id),
            "name": obj.name,
            "shortName": obj.abbreviation,
            "organizationType": GREMIUM.get(obj.kind, "Gremium"),  # type: ignore[call-overload]
            "classification": str(obj.get_kind_display()),  # type: ignore[attr-defined]
            "startDate": day(obj.established_on),
            "membership": [
                ctx.url("membership-detail", m.pk)
                for m in obj.oparl_memberships  # type: ignore[attr-defined]
            ],
            "keyword": [obj.term.name],
            **times(obj),
        }
    )


def membership(obj: Membership, ctx: Ctx) -> dict[str, Any]:
    return clean(
        {
            **_base("Membership", "membership-detail", obj, ctx),
            "person": ctx.url("person-detail", obj.delegate_id),
            "organization": ctx.url("organization-detail", obj.organ_id),
            "role": obj.title(),
            "votingRight": True,
            "startDate": day(obj.start_date),
            "endDate": day(obj.end_date),
            **times(obj),
        }
    )


def person(obj: Delegate, ctx: Ctx) -> dict[str, Any]:
    # Vietnamese names: the family name first, the given name last ("Nguyễn Văn An": An).
    parts = obj.full_name.split()
    status = ["Đại biểu Hội đồng nhân dân"]
    if obj.electoral_unit:
        status.append(f"Đơn vị bầu cử: {obj.electoral_unit}")
    if obj.position:
        status.append(obj.position)
    return clean(
        {
            **_base("Person", "person-detail", obj, ctx),
            "body": ctx.url("body-detail", obj.term.council_id),
            "name": obj.full_name,
            "familyName": parts[0] if len(parts) > 1 else "",
            "givenName": parts[-1] if parts else "",
            "gender": obj.gender,
            "status": status,
            "membership": [
                membership(m, ctx)
                for m in obj.oparl_memberships  # type: ignore[attr-defined]
            ],
            "keyword": [obj.term.name],
            **times(obj),
        }
    )


def _organs() -> QuerySet[Organ]:
    return (
        publication.organs()
        .select_related("term")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=publication.memberships().order_by("pk").only("pk", "organ_id"),
                to_attr="oparl_memberships",
            )
        )
    )


def _people() -> QuerySet[Delegate]:
    return (
        publication.delegates()
        .select_related("term")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=with_times(
                    publication.memberships().select_related("organ").order_by("pk")
                ),
                to_attr="oparl_memberships",
            )
        )
    )


def _memberships() -> QuerySet[Membership]:
    return publication.memberships().select_related("organ")


# --- Meeting, AgendaItem, Location of a session or meeting ----------------------------------


def _at(value: dt.date, time: dt.time | None = None) -> str | None:
    moment = dt.datetime.combine(value, time or dt.time(0, 0))
    return stamp(timezone.make_aware(moment))


def _files(obj: Any, ctx: Ctx) -> list[dict[str, Any]]:
    return [attachment(a, ctx) for a in getattr(obj, "oparl_attachments", [])]


def session_location(obj: Session, ctx: Ctx) -> dict[str, Any]:
    return clean(
        {
            **_base("Location", "session-location", obj, ctx),
            "description": obj.venue,
            "locality": obj.council.place_name,
            "meetings": [ctx.url("session-detail", obj.pk)],
            **times(obj),
        }
    )


def meeting_location(obj: Meeting, ctx: Ctx) -> dict[str, Any]:
    return clean(
        {
            **_base("Location", "meeting-location", obj, ctx),
            "description": obj.venue,
            "locality": obj.council.place_name,
            "meetings": [ctx.url("meeting-detail", obj.pk)],
            **times(obj),
        }
    )


def agenda_item(obj: AgendaItem, ctx: Ctx) -> dict[str, Any]:
    resolution = next(iter(obj.oparl_resolutions), None)  # type: ignore[attr-defined]
    submission = next(iter(obj.oparl_submissions), None)  # type: ignore[attr-defined]
    consultation = (
        ctx.url("consultation-detail", resolution.pk)
        if resolution
        else ctx.url("submission-consultation-detail", submission.pk)
        if submission
        else None
    )
    sitting = obj.sitting
    return clean(
        {
            **_base("AgendaItem", "agenda-item-detail", obj, ctx),
            "meeting": ctx.url("session-detail", obj.session_id),
            "number": str(obj.position),
            "order": obj.position,
            "name": obj.title,
            "public": True,
            "consultation": consultation,
            "result": obj.conclusion,
            "auxiliaryFile": _files(obj, ctx),
            "start": _at(sitting.date, obj.starts_at) if sitting and obj.starts_at else None,
            "end": _at(sitting.date, obj.ends_at) if sitting and obj.ends_at else None,
            **times(obj),
        }
    )


def session(obj: Session, ctx: Ctx) -> dict[str, Any]:
    name = f"{obj.ordinal_name}, HĐND {obj.council.unit_name} {obj.term.name_in_text}"
    return clean(
        {
            **_base("Meeting", "session-detail", obj, ctx),
            "name": f"{name}: {obj.title}" if obj.title else name,
            "meetingState": str(obj.get_status_display()),  # type: ignore[attr-defined]
            "cancelled": False,
            "start": _at(obj.opening),
            "end": _at(obj.closing, dt.time(23, 59, 59)),
            "location": session_location(obj, ctx) if obj.venue else None,
            "agendaItem": [
                agenda_item(i, ctx)
                for i in obj.oparl_items  # type: ignore[attr-defined]
            ],
            "auxiliaryFile": _files(obj, ctx),
            "keyword": [str(obj.get_kind_display())],  # type: ignore[attr-defined]
            **times(obj),
        }
    )


def meeting(obj: Meeting, ctx: Ctx) -> dict[str, Any]:
    return clean(
        {
            **_base("Meeting", "meeting-detail", obj, ctx),
            "name": obj.title,
            "cancelled": False,
            "start": _at(obj.date),
            "end": _at(obj.date, dt.time(23, 59, 59)),
            "location": meeting_location(obj, ctx) if obj.venue else None,
            "organization": [ctx.url("organization-detail", obj.organ_id)]
            if obj.organ_id and obj.oparl_organ_public  # type: ignore[attr-defined]
            else [],
            "auxiliaryFile": _files(obj, ctx),
            "keyword": [str(obj.get_kind_display())],  # type: ignore[attr-defined]
            **times(obj),
        }
    )


def _item_prefetches() -> list[Prefetch]:
    return [
        Prefetch(
            "resolutions",
            queryset=publication.resolutions().order_by("pk").only("pk", "agenda_item_id"),
            to_attr="oparl_resolutions",
        ),
        Prefetch(
            "submissions",
            queryset=publication.submissions().order_by("pk").only("pk", "agenda_item_id"),
            to_attr="oparl_submissions",
        ),
    ]


def _agenda_items() -> QuerySet[AgendaItem]:
    return (
        publication.agenda_items().select_related("sitting").prefetch_related(*_item_prefetches())
    )


def _sessions() -> QuerySet[Session]:
    items = with_times(_agenda_items().order_by("position"))
    return (
        publication.sessions()
        .select_related("council", "term")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="oparl_items"))
    )


def _meetings() -> QuerySet[Meeting]:
    return (
        publication.meetings()
        .select_related("council")
        .annotate(oparl_organ_public=Exists(publication.organs().filter(pk=OuterRef("organ_id"))))
    )


# --- Paper, Consultation, File --------------------------------------------------------------


def document(obj: GeneratedDocument, ctx: Ctx) -> dict[str, Any]:
    download = ctx.url("file-download", obj.pk)
    return clean(
        {
            **_base("File", "file-detail", obj, ctx),
            "name": obj.title,
            "fileName": obj.filename(),
            "mimeType": "application/pdf",
            "date": day(timezone.localdate(obj.finished_at) if obj.finished_at else None),
            "size": obj.size,
            "accessUrl": download,
            "downloadUrl": download + "?download=1",
            "paper": [ctx.url("paper-detail", obj.source_id)],
            "created": stamp(obj.requested_at),
            "modified": stamp(obj.finished_at or obj.requested_at),
        }
    )


# The record an attachment belongs to, as the File's back-reference.
OWNER_LINKS = {
    Resolution: ("paper", "paper-detail"),
    Submission: ("paper", "submission-detail"),
    Session: ("meeting", "session-detail"),
    Meeting: ("meeting", "meeting-detail"),
    AgendaItem: ("agendaItem", "agenda-item-detail"),
}


def attachment(obj: Attachment, ctx: Ctx) -> dict[str, Any]:
    download = ctx.url("attachment-download", obj.pk)
    owner = ContentType.objects.get_for_id(obj.owner_type_id).model_class()
    link = OWNER_LINKS.get(owner) if owner else None  # type: ignore[call-overload]
    return clean(
        {
            **_base("File", "attachment-detail", obj, ctx),
            "name": obj.title,
            "fileName": obj.original_name,
            "mimeType": obj.content_type,
            "date": day(timezone.localdate(obj.uploaded_at)),
            "size": obj.size,
            "accessUrl": download,
            "downloadUrl": download + "?download=1",
            **({link[0]: [ctx.url(link[1], obj.owner_id)]} if link else {}),
            **times(obj),
        }
    )


def consultation(obj: Resolution, ctx: Ctx) -> dict[str, Any]:
    item = obj.agenda_item
    assert item is not None
    return clean(
        {
            **_base("Consultation", "consultation-detail", obj, ctx),
            "paper": ctx.url("paper-detail", obj.pk),
            "agendaItem": ctx.url("agenda-item-detail", item.pk),
            "meeting": ctx.url("session-detail", item.session_id),
            "authoritative": True,
            "role": "Thông qua",
            **times(obj),
        }
    )


def submission_consultation(obj: Submission, ctx: Ctx) -> dict[str, Any]:
    item = obj.agenda_item
    assert item is not None
    return clean(
        {
            **_base("Consultation", "submission-consultation-detail", obj, ctx),
            "paper": ctx.url("submission-detail", obj.pk),
            "agendaItem": ctx.url("agenda-item-detail", item.pk),
            "meeting": ctx.url("session-detail", item.session_id),
            "authoritative": False,
            "role": "Trình kỳ họp",
            **times(obj),
        }
    )


def paper(obj: Resolution, ctx: Ctx) -> dict[str, Any]:
    related = [
        ctx.url("paper-detail", pk)
        for pk in sorted(
            {r.target_id for r in obj.oparl_relations_out}  # type: ignore[attr-defined]
            | {r.source_id for r in obj.oparl_relations_in}  # type: ignore[attr-defined]
        )
    ]
    if obj.oparl_submission_public:  # type: ignore[attr-defined]
        related.append(ctx.url("submission-detail", obj.submission_id))
    files = sorted(obj.oparl_files, key=lambda d: d.version)  # type: ignore[attr-defined]
    return clean(
        {
            **_base("Paper", "paper-detail", obj, ctx),
            "body": ctx.url("body-detail", obj.council_id),
            "name": obj.title,
            "reference": obj.symbol,
            "date": day(obj.adopted_on),
            "paperType": str(obj.get_kind_display()),  # type: ignore[attr-defined]
            "relatedPaper": related,
            "mainFile": document(files[-1], ctx) if files else None,
            "auxiliaryFile": [document(d, ctx) for d in files[:-1]] + _files(obj, ctx),
            "consultation": [consultation(obj, ctx)]
            if obj.oparl_item_public  # type: ignore[attr-defined]
            else [],
            "keyword": [str(obj.get_field_display())],  # type: ignore[attr-defined]
            **times(obj),
        }
    )


def submission_paper(obj: Submission, ctx: Ctx) -> dict[str, Any]:
    # A reverse one-to-one prefetched to an attribute: the resolution, or None.
    resolution = obj.oparl_resolution  # type: ignore[attr-defined]
    return clean(
        {
            **_base("Paper", "submission-detail", obj, ctx),
            "body": ctx.url("body-detail", obj.council_id),
            "name": obj.title,
            "reference": obj.reference,
            "date": day(obj.received_on),
            "paperType": "Tờ trình",
            "relatedPaper": [ctx.url("paper-detail", resolution.pk)] if resolution else [],
            "underDirectionOf": [ctx.url("organization-detail", obj.verifying_organ_id)]
            if obj.verifying_organ_id and obj.oparl_organ_public  # type: ignore[attr-defined]
            else [],
            "auxiliaryFile": _files(obj, ctx),
            "consultation": [submission_consultation(obj, ctx)]
            if obj.oparl_item_public  # type: ignore[attr-defined]
            else [],
            "keyword": [str(obj.get_field_display())],  # type: ignore[attr-defined]
            **times(obj),
        }
    )


def _public_item() -> Exists:
    return Exists(publication.agenda_items().filter(pk=OuterRef("agenda_item_id")))


def _papers() -> QuerySet[Resolution]:
    public = publication.resolutions().values("pk")
    return (
        publication.resolutions()
        .select_related("agenda_item")
        .annotate(
            oparl_item_public=_public_item(),
            oparl_submission_public=Exists(
                publication.submissions().filter(pk=OuterRef("submission_id"))
            ),
        )
        .prefetch_related(
            Prefetch(
                "relations_out",
                queryset=publication.relations().filter(target__in=public),
                to_attr="oparl_relations_out",
            ),
            Prefetch(
                "relations_in",
                queryset=publication.relations().filter(source__in=public),
                to_attr="oparl_relations_in",
            ),
        )
    )


def _submissions() -> QuerySet[Submission]:
    return (
        publication.submissions()
        .select_related("agenda_item")
        .annotate(
            oparl_item_public=_public_item(),
            oparl_organ_public=Exists(
                publication.organs().filter(pk=OuterRef("verifying_organ_id"))
            ),
        )
        .prefetch_related(
            Prefetch(
                "resolution",
                queryset=publication.resolutions().only("pk", "submission_id"),
                to_attr="oparl_resolution",
            )
        )
    )


def _consultations() -> QuerySet[Resolution]:
    return (
        publication.resolutions()
        .filter(agenda_item__in=publication.agenda_items().values("pk"))
        .select_related("agenda_item")
    )


def _submission_consultations() -> QuerySet[Submission]:
    return (
        publication.submissions()
        .filter(agenda_item__in=publication.agenda_items().values("pk"))
        .select_related("agenda_item")
    )


def attach(rows: list[Any]) -> None:
    """Load what a page's records show from generic relations, in a fixed number of queries:
    the public files attached to each record (its agenda items' too), a resolution's PDFs."""
    owners = list(rows)
    for row in rows:
        owners += getattr(row, "oparl_items", [])
    keyed = [
        (ContentType.objects.get_for_model(type(r)).pk, r.pk)
        for r in owners
        if type(r) in OWNER_LINKS
    ]
    found: dict[tuple[int, int], list[Attachment]] = {}
    if keyed:
        wanted = Q()
        for type_id in {t for t, _pk in keyed}:
            wanted |= Q(owner_type_id=type_id, owner_id__in=[pk for t, pk in keyed if t == type_id])
        for a in with_times(publication.attachments().filter(wanted).order_by("pk")):
            found.setdefault((a.owner_type_id, a.owner_id), []).append(a)
    for r in owners:
        if type(r) in OWNER_LINKS:
            type_id = ContentType.objects.get_for_model(type(r)).pk
            r.oparl_attachments = found.get((type_id, r.pk), [])
    papers = [r for r in rows if isinstance(r, Resolution)]
    if papers:
        by_source: dict[int, list[GeneratedDocument]] = {}
        for doc in publication.documents().filter(source_id__in=[p.pk for p in papers]):
            by_source.setdefault(doc.source_id, []).append(doc)
        for p in papers:
            p.oparl_files = by_source.get(p.pk, [])  # type: ignore[attr-defined]


# --- The kinds ------------------------------------------------------------------------------


def _in(model: type[Model], field_name: str, lookup: str) -> Callable[[int], Q]:
    def q(council_pk: int) -> Q:
        parents = model._default_manager.filter(**{lookup: council_pk}).values("pk")
        return Q(**{f"{field_name}__in": parents})

    return q


def _own(pk: int) -> Q:
    return Q(council_id=pk)


BODY = Kind(
    "Body",
    "body-detail",
    Council,
    _bodies,
    body,
    council_field="pk",
    history_council=lambda pk: Q(id=pk),
    tombstone_extra=_body_tombstone,
)
TERM = Kind("LegislativeTerm", "term-detail", Term, publication.terms, term, "council_id", _own)
ORGANIZATION = Kind(
    "Organization", "organization-detail", Organ, _organs, organization, "council_id", _own
)
PERSON = Kind(
    "Person",
    "person-detail",
    Delegate,
    _people,
    person,
    council_field="term__council_id",
    history_council=_in(Term, "term_id", "council_id"),
    history_flags=("published",),
)
MEMBERSHIP = Kind(
    "Membership",
    "membership-detail",
    Membership,
    _memberships,
    membership,
    council_field="organ__council_id",
    history_council=_in(Organ, "organ_id", "council_id"),
)
SESSION = Kind(
    "Meeting",
    "session-detail",
    Session,
    _sessions,
    session,
    council_field="council_id",
    history_council=_own,
    history_flags=("published", "is_public"),
)
MEETING = Kind(
    "Meeting",
    "meeting-detail",
    Meeting,
    _meetings,
    meeting,
    council_field="council_id",
    history_council=_own,
    history_flags=("published",),
)
AGENDA_ITEM = Kind(
    "AgendaItem",
    "agenda-item-detail",
    AgendaItem,
    _agenda_items,
    agenda_item,
    council_field="session__council_id",
    history_council=_in(Session, "session_id", "council_id"),
    tombstone_extra=lambda row, ctx: {"order": row.position},
    history_flags=("published", "is_public"),
)
PAPER = Kind(
    "Paper",
    "paper-detail",
    Resolution,
    _papers,
    paper,
    council_field="council_id",
    history_council=_own,
    history_flags=("published",),
)
SUBMISSION = Kind(
    "Paper",
    "submission-detail",
    Submission,
    _submissions,
    submission_paper,
    council_field="council_id",
    history_council=_own,
    history_flags=("published",),
)
CONSULTATION = Kind(
    "Consultation", "consultation-detail", Resolution, _consultations, consultation, "council_id"
)
SUBMISSION_CONSULTATION = Kind(
    "Consultation",
    "submission-consultation-detail",
    Submission,
    _submission_consultations,
    submission_consultation,
    "council_id",
)
FILE = Kind(
    "File",
    "file-detail",
    GeneratedDocument,
    publication.documents,
    document,
    council_field="council_id",
    # Generated documents have no history table: requested, then finished (never edited).
    stamped=lambda qs: qs.annotate(
        oparl_created=F("requested_at"), oparl_modified=Coalesce("finished_at", "requested_at")
    ),
    timed=False,
)
ATTACHMENT = Kind(
    "File",
    "attachment-detail",
    Attachment,
    publication.attachments,
    attachment,
    council_field="council_id",
    history_council=_own,
    history_flags=("published",),
)
BODY_LOCATION = Kind(
    "Location",
    "body-location",
    Council,
    lambda: publication.councils().exclude(address=""),
    body_location,
    council_field="pk",
)
SESSION_LOCATION = Kind(
    "Location",
    "session-location",
    Session,
    lambda: publication.sessions().exclude(venue="").select_related("council"),
    session_location,
    council_field="council_id",
)
MEETING_LOCATION = Kind(
    "Location",
    "meeting-location",
    Meeting,
    lambda: publication.meetings().exclude(venue="").select_related("council"),
    meeting_location,
    council_field="council_id",
)
