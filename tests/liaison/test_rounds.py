"""Liaison rounds (issue 17): pre-filled figures equal the dashboard's, submit locks and return
unlocks, a correction needs a reason, who reads which report, and the consolidated report."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from councilportal.dashboard.board import Period, build_dashboard
from councilportal.documents.render import render_pdf
from councilportal.models import CouncilLevel, FollowUp, GeneratedDocument, Notification
from liaison import services
from liaison.documents import consolidated_context
from liaison.forms import CorrectionForm
from liaison.models import Conclusion, CouncilReport, FigureCorrection, ReportStatus

from .. import factories as f
from ..core.test_dashboard import _session
from ..pdftools import pdf_text

D = dt.date
START, END = D(2023, 1, 1), D(2023, 2, 28)


@pytest.fixture
def liaison(world: Any) -> Any:
    """The world's province with a second commune, a term each, and an open round."""
    province = world.province
    other = f.CouncilFactory(
        code="P-B", name="HĐND xã Bến Tre Xanh", level=CouncilLevel.COMMUNE, parent=province
    )
    f.TermFactory(council=other)
    other_clerk = f.UserFactory(username="other_commune_clerk")
    f.RoleFactory(user=other_clerk, council=other, role="clerk")
    # Sessions of the commune on both boundaries of the period and just outside it.
    _session(world.commune, 11, START - dt.timedelta(days=1))
    _session(world.commune, 12, START)
    _session(world.commune, 13, END)
    _session(world.commune, 14, END + dt.timedelta(days=1))
    _session(province, 15, D(2023, 2, 1))
    liaison_round = services.round_open(
        council=province,
        title="Giao ban lần thứ Tư",
        meeting_date=D(2023, 3, 10),
        venue="Huyện Kim Động",
        topic="Phát huy vai trò cầu nối giữa đại biểu với cử tri",
        period_start=START,
        period_end=END,
        scope="children",
        questions="Cách làm hay trong tiếp xúc cử tri?",
        by=world.users["province_clerk"],
    )
    world.other, world.other_clerk, world.round = other, other_clerk, liaison_round
    return world


def _report(world: Any, council: Any) -> CouncilReport:
    return CouncilReport.objects.get(round=world.round, council=council)


def test_opening_a_round_asks_the_councils_below_with_a_deadline_from_the_rule(
    liaison: Any,
) -> None:
    reports = liaison.round.reports.order_by("council__code")
    assert [r.council.code for r in reports] == ["P-B", "P-C"]
    assert liaison.round.deadline < liaison.round.meeting.date
    assert "ngày làm việc" in liaison.round.deadline_explanation
    assert liaison.round.meeting.kind == "liaison"
    clerk = liaison.users["commune_clerk"]
    assert Notification.objects.filter(user=clerk, key__startswith="liaison-asked").exists()


def test_prefilled_figures_equal_the_dashboards_for_the_council_and_period(liaison: Any) -> None:
    report = _report(liaison, liaison.commune)
    ours = services.figure_keys(services.report_figures(report))
    board = build_dashboard(
        root=liaison.commune,
        include_below=False,
        period=Period(START, END),
        user=liaison.users["commune_clerk"],
    )
    theirs = {f"{r.key}.{f.key}": f.value for r in board.results for f in r.figures}
    assert {k: v.computed for k, v in ours.items()} == theirs
    # Both boundaries count, the days outside do not.
    assert ours["sessions.sessions"].computed == 2
    assert "date_from=01%2F01%2F2023" in ours["sessions.sessions"].url
    # As the province sees them in its compiled table.
    table = services.round_table(liaison.round)
    row = next(r for r in table.rows if r.council == liaison.commune)
    assert {c.key: c.value for c in row.cells} == theirs


def test_submit_locks_and_return_unlocks(liaison: Any) -> None:
    report = _report(liaison, liaison.commune)
    clerk = liaison.users["commune_clerk"]
    services.report_submit(report=report, by=clerk)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at
    assert report.figures["sessions.sessions"] == 2
    with pytest.raises(ValidationError):
        services.report_save(
            report=report,
            assessment="x",
            difficulties="",
            good_practices="",
            answers={},
            proposals=[],
            by=clerk,
        )
    with pytest.raises(ValidationError):
        services.report_correct(
            report=report, key="sessions.sessions", corrected=3, reason="r", by=clerk
        )
    with pytest.raises(ValidationError):
        services.report_submit(report=report, by=clerk)
    with pytest.raises(ValidationError):
        services.report_return(report=report, reason="  ", by=liaison.users["province_clerk"])
    services.report_return(
        report=report, reason="Thiếu số liệu tiếp công dân", by=liaison.users["province_clerk"]
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and not report.figures
    services.report_save(
        report=report,
        assessment="Đã bổ sung",
        difficulties="",
        good_practices="",
        answers={"0": "Tiếp xúc theo chuyên đề"},
        proposals=[("land", "Hướng dẫn về đất đai")],
        by=clerk,
    )
    services.report_submit(report=report, by=clerk)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.assessment == "Đã bổ sung"


def test_the_database_holds_a_returned_reason_and_a_submitted_time(liaison: Any) -> None:
    report = _report(liaison, liaison.commune)
    with transaction.atomic(), pytest.raises(IntegrityError):
        CouncilReport.objects.filter(pk=report.pk).update(status="returned", returned_reason="")
    with transaction.atomic(), pytest.raises(IntegrityError):
        CouncilReport.objects.filter(pk=report.pk).update(status="submitted")


def test_a_corrected_figure_needs_a_reason(liaison: Any, login: Any) -> None:
    report = _report(liaison, liaison.commune)
    clerk = liaison.users["commune_clerk"]
    form = CorrectionForm({"key": "sessions.sessions", "corrected": "3", "reason": "   "})
    assert not form.is_valid() and "reason" in form.errors
    with pytest.raises(ValidationError):
        services.report_correct(
            report=report, key="sessions.sessions", corrected=3, reason="", by=clerk
        )
    with transaction.atomic(), pytest.raises(IntegrityError):
        FigureCorrection.objects.create(
            report=report, key="sessions.sessions", computed=2, corrected=3, reason=""
        )
    client = login(clerk)
    url = reverse("liaison:report-correct", args=[report.pk])
    response = client.post(url, {"key": "sessions.sessions", "corrected": "3", "reason": ""})
    assert response.status_code == 400
    assert "Nêu lý do điều chỉnh" in response.content.decode()
    response = client.post(
        url, {"key": "sessions.sessions", "corrected": "3", "reason": "Kỳ họp chưa nhập"}
    )
    assert response.status_code == 302
    correction = FigureCorrection.objects.get(report=report)
    assert (correction.computed, correction.corrected) == (2, 3)


def test_a_lower_council_reads_only_its_own_report_and_the_province_reads_all(
    liaison: Any, login: Any
) -> None:
    own, other = _report(liaison, liaison.commune), _report(liaison, liaison.other)
    client = login(liaison.users["commune_clerk"])
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.post(reverse("liaison:report-submit", args=[other.pk])).status_code == 404
    # The round's page takes a lower council to its own report, not to the board.
    response = client.get(liaison.round.get_absolute_url())
    assert response.status_code == 302 and response.url == own.get_absolute_url()
    assert (
        client.get(reverse("liaison:reportinground-export", args=[liaison.round.pk])).status_code
        == 403
    )
    # A lower council cannot return a report.
    services.report_submit(report=own, by=liaison.users["commune_clerk"])
    assert (
        client.post(reverse("liaison:report-return", args=[own.pk]), {"reason": "x"}).status_code
        == 403
    )
    for persona in ("province_clerk", "leader"):
        client = login(liaison.users[persona])
        for report in (own, other):
            assert client.get(report.get_absolute_url()).status_code == 200
        board = client.get(liaison.round.get_absolute_url())
        assert board.status_code == 200
        assert "HĐND xã Bến Tre Xanh" in board.content.decode()
    # The province's clerk cannot edit a commune's report.
    client = login(liaison.users["province_clerk"])
    assert client.post(reverse("liaison:report-submit", args=[other.pk])).status_code == 403
    response = client.post(reverse("liaison:report-return", args=[own.pk]), {"reason": "Bổ sung"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == ReportStatus.RETURNED


def test_conclusions_become_tasks_of_the_councils_in_the_next_round(liaison: Any) -> None:
    province_clerk = liaison.users["province_clerk"]
    services.conclusion_add(
        liaison_round=liaison.round,
        text="Tổ chức tiếp xúc cử tri theo chuyên đề",
        councils=[liaison.commune, liaison.other],
        due=D(2023, 6, 30),
        by=province_clerk,
    )
    tasks = FollowUp.objects.of(Conclusion).filter(to_council=liaison.commune)
    assert tasks.count() == 1
    task = tasks.get()
    # The commune owns its task: it sees it and answers it; the province reads it.
    assert FollowUp.objects.visible_to(liaison.users["commune_clerk"]).filter(pk=task.pk).exists()
    assert FollowUp.objects.editable_by(liaison.users["commune_clerk"]).filter(pk=task.pk).exists()
    assert FollowUp.objects.visible_to(province_clerk).filter(pk=task.pk).exists()
    assert not FollowUp.objects.visible_to(liaison.other_clerk).filter(pk=task.pk).exists()
    following = services.round_open(
        council=liaison.province,
        title="Giao ban lần thứ Năm",
        meeting_date=D(2023, 7, 10),
        venue="",
        topic="",
        period_start=D(2023, 3, 11),
        period_end=D(2023, 7, 1),
        scope="children",
        questions="",
        by=province_clerk,
    )
    assert services.previous_tasks(following, liaison.commune) == [task]


def _flat(content: bytes) -> str:
    return " ".join(unicodedata.normalize("NFC", pdf_text(content, layout=False)).split())


def test_the_consolidated_report_states_every_councils_figures_with_corrections_marked(
    liaison: Any,
) -> None:
    commune, other = _report(liaison, liaison.commune), _report(liaison, liaison.other)
    services.report_correct(
        report=commune,
        key="sessions.sessions",
        corrected=12,
        reason="Hai kỳ họp chuyên đề chưa nhập vào Cổng",
        by=liaison.users["commune_clerk"],
    )
    services.report_save(
        report=commune,
        assessment="Hoạt động nền nếp.",
        difficulties="",
        good_practices="Tiếp xúc cử tri theo chuyên đề tại thôn.",
        answers={},
        proposals=[("land", "Hướng dẫn thống nhất về thu hồi đất")],
        by=liaison.users["commune_clerk"],
    )
    services.report_submit(report=commune, by=liaison.users["commune_clerk"])
    services.report_submit(report=other, by=liaison.other_clerk)
    context = consolidated_context(liaison.round)
    context["document"] = GeneratedDocument(title="Báo cáo")
    content = render_pdf("liaison/pdf/consolidated_report.html", context).content
    text = _flat(content)
    assert "BÁO CÁO" in text
    annex = text[text.index("PHỤ LỤC") :]
    for name in ("HĐND tỉnh Phố Núi", "HĐND xã Cây Đa", "HĐND xã Bến Tre Xanh"):
        assert name in annex
    assert "12* (tính: 2)" in annex
    assert "Hai kỳ họp chuyên đề chưa nhập vào Cổng" in annex
    assert "Hướng dẫn thống nhất về thu hồi đất" in text
    assert "Tiếp xúc cử tri theo chuyên đề tại thôn." in text
    # Every council's row in the sessions table: the province 1, the communes 12* and 0.
    sessions_table = annex[: annex.index("2. ")]
    assert "HĐND tỉnh Phố Núi 1 " in sessions_table
    assert "HĐND xã Bến Tre Xanh 0 " in sessions_table


def test_the_daily_job_reminds_the_councils_that_have_not_submitted_once_per_threshold(
    liaison: Any,
) -> None:
    from liaison.reminders import remind_reports

    deadline = liaison.round.deadline
    clerk, other = liaison.users["commune_clerk"], liaison.other_clerk
    services.report_submit(report=_report(liaison, liaison.other), by=other)
    assert remind_reports(deadline - dt.timedelta(days=1)) == 1  # due soon: the commune only
    assert remind_reports(deadline - dt.timedelta(days=1)) == 0  # once per threshold
    assert remind_reports(deadline + dt.timedelta(days=1)) == 1  # overdue
    keys = set(
        Notification.objects.filter(user=clerk, key__startswith="liaison-report:").values_list(
            "key", flat=True
        )
    )
    assert len(keys) == 2
    assert not Notification.objects.filter(user=other, key__startswith="liaison-report:").exists()


def test_the_export_has_a_row_per_council_with_the_corrected_and_computed_values(
    liaison: Any, login: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from councilportal.spreadsheets.io import read_rows

    services.report_correct(
        report=_report(liaison, liaison.commune),
        key="sessions.sessions",
        corrected=5,
        reason="Thiếu kỳ họp",
        by=liaison.users["commune_clerk"],
    )
    client = login(liaison.users["province_clerk"])
    response = client.get(reverse("liaison:reportinground-export", args=[liaison.round.pk]))
    assert response.status_code == 200
    upload = SimpleUploadedFile("x.xlsx", response.content)
    headers, rows = read_rows(upload)
    table = {row[0]: row for row in rows}
    row = table["HĐND xã Cây Đa"]
    assert row[headers.index("Số kỳ họp đã tổ chức")] in (5, "5")
    assert row[headers.index("Số kỳ họp đã tổ chức: tính từ dữ liệu")] in (2, "2")
    assert "Thiếu kỳ họp" in row[-1]
    assert "HĐND xã Bến Tre Xanh" in table
