"""Supervision's part of the dashboard and the registers' export: figures counted from the
records of the period and the subtree, each linking to the list of what it counts."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.urls import reverse

from councilportal.dashboard.board import Period, build_dashboard
from councilportal.follow_ups.services import follow_up_answer
from supervision import services
from supervision.models import Activity, Programme, ProgrammeItem

from .conftest import Province

D = dt.date
YEAR_2023 = Period(D(2023, 1, 1), D(2023, 12, 31))


def _figures(hy: Province, period: Period) -> dict[str, int]:
    board = build_dashboard(
        root=hy.council, include_below=False, period=period, user=hy.clerk, only=["supervision"]
    )
    return {f.key: f.value for f in board.results[0].figures}


def _world(hy: Province) -> Activity:
    programme = Programme.objects.create(
        council=hy.council, owner="council", year=2023, title="Chương trình 2023"
    )
    for status in ("done", "planned", "cancelled"):
        ProgrammeItem.objects.create(
            programme=programme, topic=f"Nội dung {status}", form="thematic",
            planned_start=D(2023, 3, 1), planned_end=D(2023, 6, 30), status=status,
        )  # fmt: skip
    activity = Activity.objects.create(
        council=hy.council, title="Giám sát y tế", form="thematic", decision_date=D(2023, 3, 6)
    )
    recs = [
        services.recommendations_add(
            source=activity, agencies=[hy.agencies[0]], content=f"Kiến nghị {i}",
            issued_on=D(2023, 6, 1), due=due,
        )[0]
        for i, due in enumerate([D(2023, 9, 30), D(2023, 10, 31), D(2024, 6, 30)])
    ]  # fmt: skip
    follow_up_answer(
        follow_up=recs[0].follow_up, received_on=D(2023, 9, 1), content="Xong", reference="",
        progress=100, status="done", by=None,
    )  # fmt: skip
    return activity


def test_the_section_counts_the_period(hy: Province) -> None:
    _world(hy)
    figures = _figures(hy, YEAR_2023)
    assert figures["items_planned"] == 2 and figures["items_done"] == 1
    assert figures["activities"] == 1
    assert figures["recommendations"] == 3
    assert figures["recommendations_done"] == 1
    # On 31/12/2023 the October one is overdue; the one due in 2024 is not.
    assert figures["recommendations_overdue"] == 1
    earlier = _figures(hy, Period(D(2022, 1, 1), D(2022, 12, 31)))
    assert earlier["recommendations"] == 0 and earlier["recommendations_overdue"] == 0


def test_a_figure_links_to_exactly_its_rows(hy: Province, client: Any) -> None:
    _world(hy)
    client.force_login(hy.clerk)
    board = build_dashboard(
        root=hy.council, include_below=True, period=YEAR_2023, user=hy.clerk, only=["supervision"]
    )
    figure = board.results[0].figure("recommendations_done")
    body = client.get(figure.url).content.decode()
    assert "Kiến nghị 0" in body and "Kiến nghị 1" not in body


def test_the_recommendations_register_exports_its_filtered_rows(hy: Province, client: Any) -> None:
    from openpyxl import load_workbook

    _world(hy)
    client.force_login(hy.clerk)
    response = client.get(reverse("supervision:recommendation-list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    text = " ".join(str(v) for row in values for v in row if v is not None)
    assert "Kiến nghị 0" in text and "Kiến nghị 2" in text and "Sở Y tế" in text
    page = client.get(reverse("supervision:recommendation-overdue")).content.decode()
    assert 'data-export="xlsx"' in page
