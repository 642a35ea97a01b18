"""The public portal shows public records only: a crawl from its home following every link
never meets an unpublished record, and every unpublished record's would-be URL is a 404, for
an anonymous visitor as for a logged-in persona (issue 20)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from councilportal.models import Attachment
from petitions.services import recommendation_track
from resolutions.models import Resolution
from sessions.models import AgendaItem, Session
from supervision.models import Activity, Programme, Question, Questioning

from .. import factories as f

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#]+)')


def crawl(client: Any, start: str, limit: int = 600) -> dict[str, str]:
    """Every page of the public side reachable from `start` (links under /cong-khai/ only, the
    language switch left out), by URL: its body (file downloads: their bytes as text)."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = (
            b"".join(response.streaming_content).decode("latin-1")
            if response.streaming
            else response.content.decode()
        )
        seen[url] = body
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        for href in HREF.findall(body):
            href = href.replace("&amp;", "&")
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not path.startswith("/cong-khai/") or "/ngon-ngu/" in path:
                continue
            if "/quan-tri/" in path:
                continue
            if path not in seen:
                queue.append(path)
    return seen


SECRET = "Chưa công bố"


@pytest.fixture
def portal(world: Any, media: Any) -> dict[str, Any]:
    """The province of the world with its records public, and beside them one unpublished
    record of every kind, each naming SECRET."""
    province = world.province
    term = f.TermFactory(
        council=province,
        ordinal=18,
        name="Khóa XVIII",
        start_date=dt.date(2021, 7, 1),
        end_date=dt.date(2099, 6, 30),
    )
    group = f.OrganFactory(
        term=term, council=province, kind="delegate_group", name="Tổ đại biểu số 1"
    )
    delegate = f.DelegateFactory(term=term, full_name="Nguyễn Văn Công", delegate_group=group)
    hidden_delegate = f.DelegateFactory(term=term, full_name=f"{SECRET} đại biểu", published=False)
    session = f.SessionFactory(council=province, term=term, ordinal=7, venue="Hội trường tỉnh")
    hidden_session = f.SessionFactory(council=province, term=term, ordinal=8, published=False)
    closed_session = f.SessionFactory(council=province, term=term, ordinal=9, is_public=False)
    f.AgendaItemFactory(session=session, position=1, title="Báo cáo kinh tế - xã hội")
    closed_item = f.AgendaItemFactory(
        session=session, position=2, title=f"{SECRET} họp kín", is_public=False
    )
    draft_item = f.AgendaItemFactory(
        session=session, position=3, title=f"{SECRET} dự thảo", published=False
    )
    resolution = f.ResolutionFactory(
        council=province,
        number=31,
        session=session,
        title="Nghị quyết về đất đai công khai",
        body="Điều 1. Phê duyệt.",
    )
    hidden = f.ResolutionFactory(
        council=province, number=32, title=f"{SECRET} nghị quyết", published=False
    )
    f.ResolutionRelationFactory(source=hidden, target=resolution)
    files = {
        "draft": f.AttachmentFactory(council=province, owner=resolution, title=f"{SECRET} tệp"),
        "encrypted": f.AttachmentFactory(
            council=province,
            owner=session,
            title=f"{SECRET} mã hóa",
            published=True,
            encrypted=True,
        ),
        "of_hidden": f.AttachmentFactory(
            council=province, owner=hidden, title=f"{SECRET} tệp ẩn", published=True
        ),
        "of_closed_item": f.AttachmentFactory(
            council=province, owner=closed_item, title=f"{SECRET} tệp kín", published=True
        ),
    }
    programme = f.ProgrammeFactory(
        council=province, year=2026, title="Chương trình giám sát năm 2026"
    )
    hidden_programme = f.ProgrammeFactory(
        council=province, year=2027, title=f"{SECRET} chương trình", published=False
    )
    concluded = f.ActivityFactory(council=province, title="Giám sát đất đai", published=True)
    draft_activity = f.ActivityFactory(council=province, title=f"{SECRET} giám sát")
    questioning = f.QuestioningFactory(council=province, session=session, title="Chất vấn kỳ 7")
    f.QuestionFactory(questioning=questioning, delegate=delegate, content="Vì sao chậm giải ngân?")
    hidden_questioning = f.QuestioningFactory(
        council=province, session=session, title=f"{SECRET} chất vấn", published=False
    )
    f.QuestionFactory(
        questioning=hidden_questioning, delegate=delegate, content=f"{SECRET} câu hỏi"
    )
    answered = f.VoterRecommendationFactory(
        session=session,
        council=province,
        content="Sửa đường liên xã",
        agency=f.AgencyFactory(council=province),
        answer_published=True,
    )
    recommendation_track(
        recommendation=answered,
        forwarded_on=dt.date(2025, 7, 20),
        answered_on=dt.date(2025, 8, 20),
        summary="Đã sửa xong",
    )
    f.VoterRecommendationFactory(session=session, council=province, content=f"{SECRET} kiến nghị")
    f.PetitionFactory(council=province, number=77, subject=f"{SECRET} đơn thư")
    merged = f.CouncilFactory(
        code="P-M",
        name=f"{SECRET} xã đã sáp nhập",
        level="commune",
        parent=province,
        valid_to=dt.date(2025, 6, 30),
    )
    return {
        "province": province,
        "resolution": resolution,
        "unpublished": {
            "public:session-detail": [hidden_session, closed_session],
            "public:resolution-detail": [hidden],
            "public:activity-detail": [draft_activity],
            "public:questioning-detail": [hidden_questioning],
            "public:delegate-detail": [hidden_delegate],
            "public:file": list(files.values()),
            "public:council-detail": [merged],
            "public:resolution-list": [merged],
            "public:petition-create": [merged],
        },
        "items": [closed_item, draft_item],
        "programme": [programme, hidden_programme],
        "concluded": concluded,
    }


def test_the_crawl_from_home_never_meets_an_unpublished_record(client: Any, portal: Any) -> None:
    pages = crawl(client, reverse("public:home") + f"?council={portal['province'].pk}")
    pages.update(crawl(client, reverse("public:council-detail", args=[portal["province"].pk])))
    assert reverse("public:resolution-detail", args=[portal["resolution"].pk]) in pages
    assert any("Giám sát đất đai" in body for body in pages.values())
    assert any("Đã sửa xong" in body for body in pages.values())
    assert any("Vì sao chậm giải ngân?" in body for body in pages.values())
    assert len(pages) > 12
    for url, body in pages.items():
        assert SECRET not in body, url
        assert "Chua cong bo" not in body, url
    for name, records in portal["unpublished"].items():
        for record in records:
            assert reverse(name, args=[record.pk]) not in pages


@pytest.mark.parametrize("persona", [None, "province_clerk", "handler"])
def test_every_unpublished_record_is_a_404_for_everyone(
    client: Any, login: Any, world: Any, portal: Any, persona: str | None
) -> None:
    visitor = login(world.users[persona]) if persona else client
    for name, records in portal["unpublished"].items():
        for record in records:
            response = visitor.get(reverse(name, args=[record.pk]))
            assert response.status_code == 404, (persona, name, record)
            assert SECRET not in response.content.decode()


def test_the_search_and_the_sitemap_find_only_public_records(client: Any, portal: Any) -> None:
    for query in ("chua cong bo", "Chưa công bố", "CHUA"):
        body = client.get(reverse("public:search"), {"q": query}).content.decode()
        results = body.split("</form>", 2)[-1]  # past the search box, which repeats the query
        assert SECRET not in results and "Nothing found" in results or "Không tìm thấy" in results
    # Accent-insensitive: "dat dai" finds "đất đai".
    body = client.get(reverse("public:search"), {"q": "dat dai cong khai"}).content.decode()
    assert "Nghị quyết về đất đai công khai" in body
    index = client.get(reverse("public:sitemap")).content.decode()
    sections = re.findall(r"<loc>https?://testserver([^<]+)</loc>", index)
    assert sections
    locations: list[str] = []
    for section in sections:
        response = client.get(section)
        assert response.status_code == 200
        locations += re.findall(r"<loc>https?://testserver([^<]+)</loc>", response.content.decode())
    assert reverse("public:resolution-detail", args=[portal["resolution"].pk]) in locations
    for name, records in portal["unpublished"].items():
        for record in records:
            assert reverse(name, args=[record.pk]) not in locations


def test_a_resolution_shows_its_status_on_a_day_and_public_relations_only(
    client: Any, portal: Any
) -> None:
    url = reverse("public:resolution-detail", args=[portal["resolution"].pk])
    response = client.get(url, {"on": "01/01/2000"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Chưa có hiệu lực" in body or "Not yet in force" in body
    assert SECRET not in body
    assert re.search(r'rel="canonical"\s+href="http://testserver' + re.escape(url) + '"', body)
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]


def test_a_cached_page_is_rendered_afresh_once_a_record_changes(client: Any, portal: Any) -> None:
    url = reverse("public:resolution-detail", args=[portal["resolution"].pk])
    assert "đất đai công khai" in client.get(url).content.decode()
    Resolution.objects.filter(pk=portal["resolution"].pk).update(title="Tiêu đề mới")
    # A bulk update sends no signal: the cached page is still served (until its timeout)...
    assert "đất đai công khai" in client.get(url).content.decode()
    # ...but a clerk's save (a signal) invalidates every cached public page.
    resolution = Resolution.objects.get(pk=portal["resolution"].pk)
    resolution.published = False
    resolution.save()
    assert client.get(url).status_code == 404


def test_a_clerk_publishes_a_file_of_a_public_record(
    client: Any, login: Any, world: Any, portal: Any, media: Any
) -> None:
    attachment: Attachment = portal["unpublished"]["public:file"][0]
    attachment.file.save("nq.pdf", __import__("io").BytesIO(b"%PDF-1.4 test"), save=True)
    url = reverse("public:file", args=[attachment.pk])
    assert client.get(url).status_code == 404
    clerk = login(world.users["province_clerk"])
    publish = reverse("public:attachment-publish", args=[attachment.pk])
    assert clerk.post(publish, {"published": "1"}).status_code == 302
    response = Client().get(url)
    assert response.status_code == 200
    encrypted: Attachment = portal["unpublished"]["public:file"][1]
    response = clerk.post(
        reverse("public:attachment-publish", args=[encrypted.pk]), {"published": "1"}
    )
    assert response.status_code == 403


def test_the_public_querysets_hold_the_defaults(portal: Any) -> None:
    assert not AgendaItem.objects.public().filter(pk__in=[i.pk for i in portal["items"]]).exists()
    assert (
        Session.objects.public().filter(council=portal["province"], term__ordinal=18).count() == 1
    )
    assert list(Programme.objects.public().filter(council=portal["province"], year__gte=2026)) == [
        portal["programme"][0]
    ]
    assert Activity.objects.public().filter(pk=portal["concluded"].pk).exists()
    assert not Question.objects.public().filter(content__startswith=SECRET).exists()
    titles = Questioning.objects.public().filter(council=portal["province"])
    assert SECRET not in " ".join(titles.values_list("title", flat=True))
