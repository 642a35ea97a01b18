"""The leaders' dashboard and the activity report: figures counted from the records, exactly
within the period and the council subtree, scoped to the user, with a constant query count."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councilportal.dashboard.board import Period, build_dashboard, last_quarter, since_last_liaison
from councilportal.models import ActivityReport, GeneratedDocument, Term
from sessions.models import Meeting, Session

from ..pdftools import pdf_text

D = dt.date
PERIOD = Period(D(2023, 1, 1), D(2023, 3, 31))


def _session(council: Any, ordinal: int, opened: dt.date | None, kind: str = "thematic") -> Any:
    term = Term.objects.filter(council=council).first()
    return Session.objects.create(
        council=council,
        term=term,
        ordinal=ordinal,
        kind=kind,
        title=f"Kỳ họp thứ {ordinal}",
        planned_start=opened or D(2023, 6, 1),
        planned_end=opened or D(2023, 6, 1),
        actual_start=opened,
        status="closed" if opened else "planned",
    )


@pytest.fixture
def sessions_world(world: Any) -> Any:
    # Inside the period, on both of its boundaries.
    _session(world.province, 10, D(2023, 1, 1), "regular_mid")
    _session(world.province, 11, D(2023, 3, 31), "extraordinary")
    _session(world.commune, 10, D(2023, 2, 15))
    # Outside it: the day before, the day after, never opened.
    _session(world.province, 12, D(2022, 12, 31))
    _session(world.commune, 11, D(2023, 4, 1))
    _session(world.commune, 12, None)
    # Another province: never counted for P.
    _session(world.foreign_objects[type(world.foreign)], 10, D(2023, 2, 1))
    return world


def _figures(board: Any) -> dict[str, int]:
    return {f.key: f.value for r in board.results for f in r.figures}


def test_sessions_are_counted_within_the_period_and_the_subtree(sessions_world: Any) -> None:
    world = sessions_world
    leader = world.users["leader"]
    board = build_dashboard(root=world.province, include_below=True, period=PERIOD, user=leader)
    figures = _figures(board)
    assert figures["sessions"] == 3
    assert figures["sessions_mid"] == 1
    assert figures["sessions_extraordinary"] == 1
    assert figures["sessions_thematic"] == 1
    own = build_dashboard(root=world.province, include_below=False, period=PERIOD, user=leader)
    assert _figures(own)["sessions"] == 2
    # The table: the province's own records, then one row per council below.
    rows = {row["council"].code: row for row in board.table}
    assert rows["P"]["own"] and rows["P"]["values"][0] == 2
    assert rows["P-C"]["values"][0] == 1


def test_a_commune_clerk_sees_only_their_commune(sessions_world: Any) -> None:
    world = sessions_world
    clerk = world.users["commune_clerk"]
    board = build_dashboard(root=world.province, include_below=True, period=PERIOD, user=clerk)
    assert _figures(board)["sessions"] == 1  # the province's records are not theirs to read


def test_the_dashboard_page_shows_figures_that_link_to_their_rows(
    sessions_world: Any, login: Any
) -> None:
    world = sessions_world
    client = login(world.users["leader"])
    page = client.get(
        reverse("core:dashboard"),
        {
            "council": world.province.pk,
            "below": "on",
            "period": "custom",
            "date_from": "01/01/2023",
            "date_to": "31/03/2023",
        },
    )
    assert page.status_code == 200
    html = page.content.decode()
    card = re.search(r'href="([^"]+)"[^>]*data-figure="sessions"', html)
    assert card is not None
    assert 'data-value="3"' in html
    listing = client.get(card.group(1).replace("&amp;", "&"))
    assert listing.status_code == 200
    body = listing.content.decode()
    for ordinal in (10, 11):
        assert f"Kỳ họp thứ {ordinal}" in body
    assert "Kỳ họp thứ 12" not in body
    assert "<svg" in html and "Bí Mật" not in html


def test_a_foreign_council_cannot_be_chosen(sessions_world: Any, login: Any) -> None:
    world = sessions_world
    client = login(world.users["outsider"])
    page = client.get(reverse("core:dashboard"), {"council": world.province.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-figure" not in html
    assert "Phố Núi" not in html


def test_a_bad_custom_period_is_refused_with_a_message(world: Any, login: Any) -> None:
    client = login(world.users["leader"])
    page = client.get(
        reverse("core:dashboard"),
        {"council": world.province.pk, "period": "custom", "date_from": "31/03/2023",
         "date_to": "01/01/2023"},
    )  # fmt: skip
    assert page.status_code == 200
    assert "data-figure" not in page.content.decode()
    assert page.context["form"].errors


def test_the_query_count_does_not_grow_with_the_records(world: Any, login: Any) -> None:
    client = login(world.users["leader"])
    params = {"council": world.province.pk, "below": "on", "period": "year"}
    client.get(reverse("core:dashboard"), params)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("core:dashboard"), params)
    today = D.today()
    for n in range(30):
        _session(world.commune if n % 2 else world.province, 40 + n, today)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("core:dashboard"), params)
    assert len(many) == len(few)
    assert f'data-value="{30}"' in page.content.decode()


def test_periods_last_quarter_and_since_the_last_liaison_meeting(world: Any) -> None:
    assert last_quarter(D(2023, 2, 10)) == Period(D(2022, 10, 1), D(2022, 12, 31), "quarter")
    assert last_quarter(D(2023, 8, 10)) == Period(D(2023, 4, 1), D(2023, 6, 30), "quarter")
    Meeting.objects.create(
        council=world.province, kind="liaison", title="Giao ban lần thứ Tư", date=D(2023, 3, 1)
    )
    period = since_last_liaison(world.commune, D(2023, 5, 20))
    assert period.start == D(2023, 3, 2) and period.end == D(2023, 5, 20)


@pytest.fixture
def eager(settings: Any, tmp_path: Path) -> Iterator[None]:
    from councilportal.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.mark.django_db(transaction=True)
def test_the_report_states_the_dashboards_figures(
    sessions_world: Any, login: Any, eager: None
) -> None:
    world = sessions_world
    client = login(world.users["leader"])
    response = client.post(
        reverse("core:report-create"),
        {
            "council": world.province.pk,
            "below": "on",
            "period": "custom",
            "date_from": "01/01/2023",
            "date_to": "31/03/2023",
        },
    )
    assert response.status_code == 302
    report = ActivityReport.objects.get(council=world.province, requested_by=world.users["leader"])
    document = GeneratedDocument.objects.get(kind="core.activity-report", source_id=report.pk)
    assert document.status == "done", document.error
    text = pdf_text(document.file.read())
    assert "BÁO CÁO" in text
    assert "từ ngày 01/01/2023 đến ngày 31/03/2023" in " ".join(text.split())
    assert re.search(r"Số kỳ họp đã tổ chức: 3\.", " ".join(text.split()))
    assert "HĐND xã Cây Đa" in text and "Bí Mật" not in text
    # The commune clerk cannot read the province's report.
    other = login(world.users["commune_clerk"])
    assert other.get(reverse("core:report-detail", args=[report.pk])).status_code == 404


def test_the_command_line_writes_the_report(sessions_world: Any, tmp_path: Path) -> None:
    output = tmp_path / "report.pdf"
    call_command(
        "activity_report",
        council="P",
        start="2023-01-01",
        end="2023-03-31",
        output=str(output),
    )
    text = " ".join(pdf_text(output.read_bytes()).split())
    assert "Số kỳ họp đã tổ chức: 3." in text
    assert "HĐND xã Cây Đa" in text


def test_a_superuser_sees_every_council_at_once(
    sessions_world: Any, login: Any, django_user_model: Any
) -> None:
    root = django_user_model.objects.create_superuser("root", "root@example.org", "Root-pass-26")
    client = login(root)
    page = client.get(
        reverse("core:dashboard"),
        {"council": "", "period": "custom", "date_from": "01/01/2023", "date_to": "31/03/2023"},
    )
    assert page.status_code == 200
    board = page.context["dashboard"].board
    assert board.root is None
    figures = {f.key: f.value for r in page.context["dashboard"].results for f in r.figures}
    assert figures["sessions"] == 4  # P's three and the foreign commune's one
    assert {c.code for c in board.rows} >= {"P", "F"}


def _resolution(council: Any, number: int, adopted: dt.date, kind: str = "individual") -> Any:
    from resolutions.models import Resolution

    return Resolution.objects.create(
        council=council,
        issuer="council",
        kind=kind,
        number=number,
        year=adopted.year,
        title=f"Nghị quyết số {number}",
        field="budget",
        adopted_on=adopted,
        effective_from=adopted + dt.timedelta(days=10),
    )


def _petition(council: Any, number: int, received: dt.date, kind: str) -> Any:
    from petitions.models import Petition, PetitionItem

    petition = Petition.objects.create(
        council=council,
        number=number,
        year=received.year,
        channel="post",
        received_on=received,
        subject=f"Đơn số {number}",
    )
    PetitionItem.objects.create(
        petition=petition, kind=kind, field="other", content="Nội dung", outcome="pending"
    )
    return petition


def test_resolutions_and_petitions_are_counted_within_the_period_and_subtree(
    world: Any,
) -> None:
    foreign = world.foreign_objects[type(world.foreign)]
    _resolution(world.province, 101, D(2024, 1, 1), "normative")  # first day: counted
    _resolution(world.commune, 102, D(2024, 3, 31))  # last day, a council below: counted
    _resolution(world.province, 103, D(2023, 12, 31))  # the day before: not counted
    _resolution(world.commune, 104, D(2024, 4, 1))  # the day after: not counted
    _resolution(foreign, 105, D(2024, 2, 1))  # another province: never
    _petition(world.province, 201, D(2024, 1, 1), "complaint")
    _petition(world.commune, 202, D(2024, 3, 31), "denunciation")
    _petition(world.commune, 203, D(2024, 4, 1), "complaint")
    _petition(foreign, 204, D(2024, 2, 1), "complaint")
    leader = world.users["leader"]
    period = Period(D(2024, 1, 1), D(2024, 3, 31))
    board = build_dashboard(root=world.province, include_below=True, period=period, user=leader)
    figures = _figures(board)
    # conftest's world has records of 2022-2023 of its own: none falls in this period.
    assert figures["resolutions"] == 2
    assert figures["resolutions_normative"] == 1
    assert figures["resolutions_individual"] == 1
    assert figures["petitions"] == 2
    assert figures["petitions_complaints"] == 1
    assert figures["petitions_denunciations"] == 1
    own = build_dashboard(root=world.province, include_below=False, period=period, user=leader)
    assert _figures(own)["resolutions"] == 1 and _figures(own)["petitions"] == 1
    rows = {row["council"].code: row for row in board.table}
    headers = [f.key for f in board.table_headers]
    assert rows["P-C"]["values"][headers.index("resolutions")] == 1
    assert rows["P-C"]["values"][headers.index("petitions")] == 1


def _options(html: str) -> list[str]:
    select = re.search(r'<select name="council".*?</select>', html, re.S)
    assert select is not None
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group())


def test_the_council_chooser_lists_the_top_councils_and_those_below_the_chosen_one(
    sessions_world: Any, login: Any, django_user_model: Any
) -> None:
    root = django_user_model.objects.create_superuser("root", "root@example.org", "Root-pass-26")
    client = login(root)
    period = {"period": "custom", "date_from": "01/01/2023", "date_to": "31/03/2023"}
    # The whole country: every province, none of the communes (thousands at national scale).
    options = [o.strip("\u2003") for o in _options(client.get(
        reverse("core:dashboard"), {"council": "", **period}).content.decode())]  # fmt: skip
    assert "HĐND tỉnh Phố Núi" in options and "HĐND tỉnh Bí Mật" in options
    assert "HĐND xã Cây Đa" not in options and "HĐND xã Kín Đáo" not in options
    # A province chosen: its communes appear under it, another province's do not.
    page = client.get(
        reverse("core:dashboard"), {"council": sessions_world.province.pk, "below": "on", **period}
    )
    options = _options(page.content.decode())
    assert "\u2003HĐND xã Cây Đa" in options
    assert "HĐND tỉnh Bí Mật" in options and "\u2003HĐND xã Kín Đáo" not in options


def test_a_council_typed_by_code_or_name_is_shown_at_its_own_address(
    sessions_world: Any, login: Any
) -> None:
    world = sessions_world
    client = login(world.users["leader"])
    params = {"council": world.province.pk, "below": "on", "period": "year"}
    for typed in ("p-c", "cay da", "HĐND xã Cây Đa"):
        response = client.get(reverse("core:dashboard"), {**params, "find": typed})
        assert response.status_code == 302, typed
        assert f"council={world.commune.pk}" in response["Location"]
        assert "find=" not in response["Location"]
    # A council the leader may not read is not found, and not revealed.
    page = client.get(reverse("core:dashboard"), {**params, "find": "F-C"})
    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["form"].errors["find"]
    assert "Kín Đáo" not in html and "data-figure" not in html
