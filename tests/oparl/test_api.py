"""The OParl 1.1 API: the demo walked and validated, public records only, deleted records as
tombstones, filters, paging, headers and a constant number of queries per page."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from councilportal.models import Delegate, GeneratedDocument, Membership
from oparl import publication
from resolutions.models import Resolution
from sessions.models import AgendaItem, Session

from .. import factories as f
from .walk import HOST, ROOT, walk

pytestmark = pytest.mark.django_db

TYPES = {
    "System",
    "Body",
    "LegislativeTerm",
    "Organization",
    "Person",
    "Membership",
    "Meeting",
    "AgendaItem",
    "Paper",
    "Consultation",
    "File",
    "Location",
}


def api(name: str, pk: int | None = None) -> str:
    return reverse(f"oparl:{name}", args=[] if pk is None else [pk])


def _public_file(resolution: Resolution) -> GeneratedDocument:
    document = GeneratedDocument(
        kind="resolutions.resolution",
        title=f"Nghị quyết {resolution.symbol}",
        council=resolution.council,
        source_type=ContentType.objects.get_for_model(Resolution),
        source_id=resolution.pk,
        status="done",
        sha256="0" * 64,
        size=9,
        finished_at=timezone.now(),
    )
    document.file.save("nq.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    document.save()
    return document


@pytest.mark.slow  # about 1,600 answers: a minute and a half
def test_the_whole_demo_api_validates_against_the_oparl_schemas(client: Any, media: Any) -> None:
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # The demo renders no PDF: give one resolution its document, and delete a public session
    # and a delegate, so that files and tombstones are walked too.
    resolution = Resolution.objects.filter(agenda_item__isnull=False).first()
    assert resolution is not None
    document = _public_file(resolution)
    council = resolution.council
    term = council.terms.first()
    gone = f.SessionFactory(council=council, term=term, ordinal=29, venue="Hội trường")
    gone_pk = gone.pk
    gone.delete()
    # A published Standing Committee meeting, submission and file of the demo's province.
    f.MeetingFactory(council=council, published=True, venue="Phòng họp số 1")
    f.SubmissionFactory(
        council=council, published=True, status="on_agenda", agenda_item=resolution.agenda_item
    )
    f.AttachmentFactory(council=council, owner=resolution.session, published=True)
    seen = walk(client)
    assert set(seen.objects) >= TYPES, set(seen.objects)
    tombstones = [o for o in seen.objects["Meeting"] if o.get("deleted")]
    assert {t["id"] for t in tombstones} == {HOST + api("session-detail", gone_pk)}
    assert HOST + api("file-download", document.pk) in seen.files
    download = client.get(api("file-download", document.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.7\n"
    # Every public record of the demo is reached, and only those.
    assert len(seen.ids("Body")) == publication.councils().count()
    assert len(seen.ids("Person")) == publication.delegates().count()
    assert len(seen.ids("Membership")) == publication.memberships().count()
    papers = publication.resolutions().count() + publication.submissions().count()
    assert len(seen.ids("Paper")) == papers
    meetings = publication.sessions().count() + publication.meetings().count()
    assert len(seen.ids("Meeting")) == meetings + 1  # and the tombstone
    assert len(seen.ids("File")) == 2


@pytest.fixture
def council() -> Any:
    return f.CouncilFactory(code="HY", name="HĐND tỉnh Hưng Yên", address="Số 1 Đường Chùa Chuông")


def _session(council: Any, **kwargs: Any) -> Session:
    term = kwargs.pop("term", None) or f.TermFactory(council=council)
    session: Session = f.SessionFactory(council=council, term=term, **kwargs)  # type: ignore[assignment]
    return session


def test_unpublished_records_are_unreachable(client: Any, council: Any, media: Any) -> None:
    term = f.TermFactory(council=council)
    public = _session(council, term=term, ordinal=1, venue="Hội trường tỉnh")
    hidden = _session(council, term=term, ordinal=2, title="Kỳ họp kín", venue="Phòng kín")
    hidden.is_public = False
    hidden.save()
    closed_item = f.AgendaItemFactory(session=public, position=1, title="Nội dung kín")
    closed_item.is_public = False
    closed_item.save()
    open_item = f.AgendaItemFactory(session=public, position=2, title="Nội dung công khai")
    item_of_hidden = f.AgendaItemFactory(session=hidden, position=1, title="Mục kín khác")
    resolution = f.ResolutionFactory(council=council, agenda_item=closed_item, session=public)
    withdrawn = f.ResolutionFactory(council=council, title="Nghị quyết rút lại", published=False)
    draft = f.SubmissionFactory(council=council, title="Dự thảo chưa công bố")
    meeting = f.MeetingFactory(council=council, title="Phiên họp chưa công bố")
    unticked = f.DelegateFactory(term=term, full_name="Lê Văn Ẩn", published=False)
    private_file = f.AttachmentFactory(council=council, owner=public, title="Tệp chưa công bố")
    encrypted = f.AttachmentFactory(
        council=council, owner=public, title="Tệp mã hóa", published=True, encrypted=True
    )
    merged = f.CouncilFactory(code="HY-OLD", name="HĐND huyện Đã Nhập", parent=council)
    merged.valid_to = dt.date(2025, 6, 30)
    merged.save()
    seen = walk(client)
    text = "\n".join(seen.text)
    for word in (
        "Kỳ họp kín",
        "Phòng kín",
        "Nội dung kín",
        "Mục kín khác",
        "Nghị quyết rút lại",
        "Dự thảo chưa công bố",
        "Phiên họp chưa công bố",
        "Lê Văn Ẩn",
        "Tệp chưa công bố",
        "Tệp mã hóa",
        "Đã Nhập",
    ):
        assert word not in text
    assert "Nội dung công khai" in text
    for name, pk in (
        ("session-detail", hidden.pk),
        ("session-location", hidden.pk),
        ("agenda-item-detail", closed_item.pk),
        ("agenda-item-detail", item_of_hidden.pk),
        # The resolution was adopted at a closed item: no consultation to show.
        ("consultation-detail", resolution.pk),
        ("paper-detail", withdrawn.pk),
        ("submission-detail", draft.pk),
        ("meeting-detail", meeting.pk),
        ("person-detail", unticked.pk),
        ("attachment-detail", private_file.pk),
        ("attachment-download", private_file.pk),
        ("attachment-detail", encrypted.pk),
        ("body-detail", merged.pk),
        ("body-people", merged.pk),
    ):
        url = api(name, pk)
        assert client.get(url).status_code == 404, url
        assert HOST + url not in text
    assert HOST + api("agenda-item-detail", open_item.pk) in text
    assert HOST + api("paper-detail", resolution.pk) in text


def test_a_deleted_record_stays_as_a_tombstone_only_if_it_was_public(
    client: Any, council: Any
) -> None:
    term = f.TermFactory(council=council)
    delegate = f.DelegateFactory(term=term, full_name="Nguyễn Văn Đã Thôi")
    created = Delegate.history.filter(id=delegate.pk).earliest("history_date").history_date
    delegate_pk = delegate.pk
    delegate.delete()
    hidden = _session(council, term=term, ordinal=2)
    hidden.is_public = False
    hidden.save()
    hidden_pk = hidden.pk
    hidden.delete()
    response = client.get(api("person-detail", delegate_pk))
    assert response.status_code == 200
    data = response.json()
    assert data["deleted"] is True
    assert data["id"] == HOST + api("person-detail", delegate_pk)
    assert data["type"] == "https://schema.oparl.org/1.1/Person"
    assert data["created"] == timezone.localtime(created).isoformat(timespec="seconds")
    assert data["modified"] >= data["created"]
    assert "name" not in data and "Đã Thôi" not in response.content.decode()
    people = client.get(api("body-people", council.pk)).json()["data"]
    assert [p["id"] for p in people if p.get("deleted")] == [data["id"]]
    # A session deleted while it was not public never existed for the API.
    assert client.get(api("session-detail", hidden_pk)).status_code == 404
    meetings = client.get(api("body-meetings", council.pk)).json()["data"]
    assert meetings == []


def _at(record: Any, moment: dt.datetime) -> None:
    """Move a record's whole history to one moment (created = modified = moment)."""
    type(record).history.filter(id=record.pk).update(history_date=moment)


def test_the_filters_select_by_created_and_modified(client: Any, council: Any) -> None:
    tz = timezone.get_current_timezone()
    old = f.TermFactory(council=council, ordinal=14)
    new = f.TermFactory(council=council, ordinal=15)
    _at(old, dt.datetime(2024, 1, 1, 8, 0, tzinfo=tz))
    _at(new, dt.datetime(2025, 6, 1, 8, 0, tzinfo=tz))
    # An edit of the old term in 2025: created in 2024, modified in 2025.
    old.name = "Khóa XIV (sửa)"
    old.save()
    type(old).history.filter(id=old.pk, history_type="~").update(
        history_date=dt.datetime(2025, 7, 1, 8, 0, tzinfo=tz)
    )
    url = api("body-terms", council.pk)

    def ids(**query: str) -> set[int]:
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        return {int(o["id"].rstrip("/").rsplit("/", 1)[1]) for o in response.json()["data"]}

    assert ids() == {old.pk, new.pk}
    assert ids(created_since="2025-01-01T00:00:00+07:00") == {new.pk}
    assert ids(created_until="2025-01-01T00:00:00+07:00") == {old.pk}
    assert ids(modified_since="2025-06-15T00:00:00+07:00") == {old.pk}
    assert ids(modified_until="2025-06-15T00:00:00+07:00") == {new.pk}
    assert ids(modified_since="2025-06-01T01:00:00Z") == {old.pk, new.pk}
    response = client.get(url, {"created_since": "2025-01-01T00:00:00+07:00"})
    assert "created_since=" in response.json()["links"]["first"]
    term = response.json()["data"][0]
    assert term["created"] == "2025-06-01T08:00:00+07:00"
    for bad in ("yesterday", "2025-01-01", "2025-01-01T00:00:00"):
        response = client.get(url, {"modified_since": bad})
        assert response.status_code == 400 and response["Content-Type"] == "application/json"


def test_lists_are_paged_with_links(client: Any, council: Any) -> None:
    term = f.TermFactory(council=council)
    delegates = [f.DelegateFactory(term=term, full_name=f"Đại biểu {n}") for n in range(5)]
    url = api("body-people", council.pk)
    first = client.get(url, {"elementsPerPage": 2}).json()
    assert first["pagination"] == {
        "totalElements": 5,
        "elementsPerPage": 2,
        "currentPage": 1,
        "totalPages": 3,
    }
    assert "prev" not in first["links"]
    assert first["links"]["last"].endswith("page=3")
    collected, page = [], first
    while True:
        collected += [o["id"] for o in page["data"]]
        if "next" not in page["links"]:
            break
        page = client.get(page["links"]["next"].removeprefix(HOST)).json()
        assert (
            "prev" in page["links"]
            and "elementsPerPage=2" in page["links"]["next" if "next" in page["links"] else "prev"]
        )
    assert collected == [HOST + api("person-detail", d.pk) for d in delegates]
    assert client.get(url, {"page": 9}).status_code == 404
    assert client.get(url, {"page": "x"}).status_code == 400
    # A client may ask for fewer, never more than 100 per page.
    assert client.get(url, {"elementsPerPage": 1000}).json()["pagination"]["elementsPerPage"] == 100


def test_answers_are_json_for_anyone_with_cors_and_cache_headers(client: Any, council: Any) -> None:
    url = api("body-detail", council.pk)
    response = client.get(url, HTTP_ORIGIN="https://example.org")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=60"
    etag = response["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    council.name = "HĐND tỉnh Hưng Yên mới"
    council.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert client.post(url).status_code == 405
    missing = client.get(api("body-detail", council.pk + 999))
    assert missing.status_code == 404 and missing["Access-Control-Allow-Origin"] == "*"
    system = client.get(ROOT).json()
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    assert system["body"] == HOST + api("body-list")


@pytest.mark.parametrize(
    "name",
    [
        "body-people",
        "body-memberships",
        "body-organizations",
        "body-meetings",
        "body-agenda-items",
        "body-papers",
        "body-consultations",
        "body-files",
        "body-terms",
        "body-locations",
    ],
)
def test_a_list_page_takes_a_constant_number_of_queries(
    client: Any, council: Any, media: Any, name: str, django_assert_max_num_queries: Any
) -> None:
    term = f.TermFactory(council=council)
    organ = f.OrganFactory(term=term, council=council)

    def grow(n: int) -> None:
        for _ in range(n):
            delegate = f.DelegateFactory(term=term)
            f.MembershipFactory(organ=organ, delegate=delegate)
            ordinal = Session.objects.filter(term=term).count() + 1
            session = _session(council, term=term, ordinal=ordinal, venue="Hội trường")
            item = f.AgendaItemFactory(session=session, position=1)
            f.SittingFactory(session=session)
            resolution = f.ResolutionFactory(council=council, agenda_item=item, session=session)
            f.ResolutionRelationFactory(source=resolution)
            _public_file(resolution)
            f.SubmissionFactory(
                council=council, published=True, status="on_agenda", agenda_item=item
            )
            f.MeetingFactory(council=council, organ=organ, published=True, venue="Phòng họp")
            for owner in (session, item, resolution):
                f.AttachmentFactory(council=council, owner=owner, published=True)
        Membership.objects.filter(organ=organ).last().delete()

    grow(2)
    url = api(name, council.pk)
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    grow(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_records_of_every_kind_link_to_each_other(client: Any, council: Any) -> None:
    term = f.TermFactory(council=council)
    organ = f.OrganFactory(term=term, council=council, name="Ban Pháp chế")
    delegate = f.DelegateFactory(term=term, full_name="Trần Thị Bình", gender="female")
    membership = f.MembershipFactory(organ=organ, delegate=delegate, position="head")
    session = _session(council, term=term, ordinal=1)
    item = f.AgendaItemFactory(session=session, position=1)
    resolution = f.ResolutionFactory(council=council, agenda_item=item, session=session)
    person = client.get(api("person-detail", delegate.pk)).json()
    assert person["familyName"] == "Trần" and person["givenName"] == "Bình"
    assert person["membership"][0]["organization"] == HOST + api("organization-detail", organ.pk)
    assert person["membership"][0]["role"] == "Trưởng Ban"
    organization = client.get(api("organization-detail", organ.pk)).json()
    assert organization["membership"] == [HOST + api("membership-detail", membership.pk)]
    paper = client.get(api("paper-detail", resolution.pk)).json()
    assert paper["consultation"][0]["agendaItem"] == HOST + api("agenda-item-detail", item.pk)
    agenda = client.get(api("agenda-item-detail", item.pk)).json()
    assert agenda["consultation"] == HOST + api("consultation-detail", resolution.pk)
    meeting = client.get(api("session-detail", session.pk)).json()
    assert [i["id"] for i in meeting["agendaItem"]] == [agenda["id"]]
    assert AgendaItem.objects.count() == 1
