"""The OParl 1.1 object types and how each is made from the portal's records.

A `Kind` names an OParl type, the model behind it, its public queryset (`publication.py`), how
one record becomes a JSON object, and how its deleted records (tombstones, `deleted: true`) are
found in the model's history table (django-simple-history). `created` and `modified` are the
first and last dates of the record's history rows, in the Asia/Ho_Chi_Minh offset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Model, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from councilportal.models import Council, Delegate, GeneratedDocument, Membership, Organ, Term
from councilportal.models.councils import OrganKind
from resolutions.models import Resolution
from sessions.models import AgendaItem, Session

from . import publication

OPARL_VERSION = "https://schema.oparl.org/1.1/"
TYPE = OPARL_VERSION + "{}"


class Ctx:
    """What building URLs needs: the site's absolute address, taken from the request once."""

    def __init__(self, request: HttpRequest) -> None:
        self.base = request.build_absolute_uri("/").rstrip("/")

    def url(self, name: str, pk: int | None = None) -> str:
        return self.base + reverse(f"oparl:{name}", args=[] if pk is None else [pk])


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

    type: str
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
    # For a kind with a publication flag: the history field that says the record was public
    # when it was deleted (a record never published leaves no tombstone).
    history_flag: str | None = None
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
        if self.history_flag:
            rows = rows.filter(**{self.history_flag: True})
        return rows.annotate(oparl_created=Subquery(first), oparl_modified=Subquery(first))

    def tombstone(self, row: Any, ctx: Ctx) -> dict[str, Any]:
        return {
            "id": ctx.url(self.url_name, row.id),
            "type": TYPE.format(self.type),
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


# --- Meeting, AgendaItem, Location of a session ---------------------------------------------


def _at(value: dt.date, time: dt.time | None = None) -> str | None:
    moment = dt.datetime.combine(value, time or dt.time(0, 0))
    return stamp(timezone.make_aware(moment))


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


def agenda_item(obj: AgendaItem, ctx: Ctx) -> dict[str, Any]:
    consultation = next(iter(obj.oparl_resolutions), None)  # type: ignore[attr-defined]
    sitting = obj.sitting
    return clean(
        {
            **_base("AgendaItem", "agenda-item-detail", obj, ctx),
            "meeting": ctx.url("session-detail", obj.session_id),
            "number": str(obj.position),
            "order": obj.position,
            "name": obj.title,
            "public": True,
            "consultation": ctx.url("consultation-detail", consultation.pk)
            if consultation
            else None,
            "result": obj.conclusion,
            "start": _at(sitting.date, obj.starts_at) if sitting and obj.starts_at else None,
            "end": _at(sitting.date, obj.ends_at) if sitting and obj.ends_at else None,
            **times(obj),
        }
    )


def meeting(obj: Session, ctx: Ctx) -> dict[str, Any]:
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
            "keyword": [str(obj.get_kind_display())],  # type: ignore[attr-defined]
            **times(obj),
        }
    )


def _items_prefetch() -> Prefetch:
    return Prefetch(
        "resolutions",
        queryset=publication.resolutions().order_by("pk").only("pk", "agenda_item_id"),
        to_attr="oparl_resolutions",
    )


def _agenda_items() -> QuerySet[AgendaItem]:
    return publication.agenda_items().select_related("sitting").prefetch_related(_items_prefetch())


def _sessions() -> QuerySet[Session]:
    items = with_times(_agenda_items().order_by("position"))
    return (
        publication.sessions()
        .select_related("council", "term")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="oparl_items"))
    )


# --- Paper, Consultation, File --------------------------------------------------------------


def file(obj: GeneratedDocument, ctx: Ctx) -> dict[str, Any]:
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


def paper(obj: Resolution, ctx: Ctx) -> dict[str, Any]:
    related = {r.target_id for r in obj.relations_out.all()} | {
        r.source_id for r in obj.relations_in.all()
    }
    files = sorted(obj.oparl_files, key=lambda d: d.version)  # type: ignore[attr-defined]
    public_items = obj.oparl_public_item  # type: ignore[attr-defined]
    return clean(
        {
            **_base("Paper", "paper-detail", obj, ctx),
            "body": ctx.url("body-detail", obj.council_id),
            "name": obj.title,
            "reference": obj.symbol,
            "date": day(obj.adopted_on),
            "paperType": str(obj.get_kind_display()),  # type: ignore[attr-defined]
            "relatedPaper": [ctx.url("paper-detail", pk) for pk in sorted(related)],
            "mainFile": file(files[-1], ctx) if files else None,
            "auxiliaryFile": [file(d, ctx) for d in files[:-1]],
            "consultation": [consultation(obj, ctx)] if public_items else [],
            "keyword": [str(obj.get_field_display())],  # type: ignore[attr-defined]
            **times(obj),
        }
    )


def _papers() -> QuerySet[Resolution]:
    public_resolutions = publication.resolutions().values("pk")
    return (
        publication.resolutions()
        .select_related("agenda_item")
        .prefetch_related(
            Prefetch(
                "relations_out",
                queryset=Resolution.relations_out.rel.related_model.objects.filter(  # type: ignore[attr-defined]
                    target__in=public_resolutions
                ),
            ),
            Prefetch(
                "relations_in",
                queryset=Resolution.relations_in.rel.related_model.objects.filter(  # type: ignore[attr-defined]
                    source__in=public_resolutions
                ),
            ),
        )
    )


def _consultations() -> QuerySet[Resolution]:
    return (
        publication.resolutions()
        .filter(agenda_item__in=publication.agenda_items().values("pk"))
        .select_related("agenda_item")
    )


def attach_papers(rows: list[Any]) -> None:
    """The files and the public agenda item of a page of resolutions, in two queries."""
    papers = [r for r in rows if isinstance(r, Resolution)]
    if not papers:
        return
    pks = [p.pk for p in papers]
    by_source: dict[int, list[GeneratedDocument]] = {}
    for doc in publication.documents().filter(source_id__in=pks):
        by_source.setdefault(doc.source_id, []).append(doc)
    items = {p.agenda_item_id for p in papers if p.agenda_item_id}
    public = (
        set(publication.agenda_items().filter(pk__in=items).values_list("pk", flat=True))
        if items
        else set()
    )
    for p in papers:
        p.oparl_files = by_source.get(p.pk, [])  # type: ignore[attr-defined]
        p.oparl_public_item = p.agenda_item_id in public  # type: ignore[attr-defined]


# --- The kinds ------------------------------------------------------------------------------


def _in(model: type[Model], field_name: str, lookup: str) -> Callable[[int], Q]:
    def q(council_pk: int) -> Q:
        parents = model._default_manager.filter(**{lookup: council_pk}).values("pk")
        return Q(**{f"{field_name}__in": parents})

    return q


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
TERM = Kind(
    "LegislativeTerm",
    "term-detail",
    Term,
    publication.terms,
    term,
    council_field="council_id",
    history_council=lambda pk: Q(council_id=pk),
)
ORGANIZATION = Kind(
    "Organization",
    "organization-detail",
    Organ,
    _organs,
    organization,
    council_field="council_id",
    history_council=lambda pk: Q(council_id=pk),
)
PERSON = Kind(
    "Person",
    "person-detail",
    Delegate,
    _people,
    person,
    council_field="term__council_id",
    history_council=_in(Term, "term_id", "council_id"),
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
MEETING = Kind(
    "Meeting",
    "session-detail",
    Session,
    _sessions,
    meeting,
    council_field="council_id",
    history_council=lambda pk: Q(council_id=pk),
    history_flag="is_public",
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
    history_flag="is_public",
)
PAPER = Kind(
    "Paper",
    "paper-detail",
    Resolution,
    _papers,
    paper,
    council_field="council_id",
    history_council=lambda pk: Q(council_id=pk),
)
CONSULTATION = Kind(
    "Consultation",
    "consultation-detail",
    Resolution,
    _consultations,
    consultation,
    council_field="council_id",
)
FILE = Kind(
    "File",
    "file-detail",
    GeneratedDocument,
    lambda: publication.documents(),
    file,
    council_field="council_id",
    # Generated documents have no history table: requested, then finished (never edited).
    stamped=lambda qs: qs.annotate(
        oparl_created=F("requested_at"), oparl_modified=Coalesce("finished_at", "requested_at")
    ),
    timed=False,
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
