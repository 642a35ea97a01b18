"""The printed supervision documents, rendered for real (WeasyPrint) through the job queue run
eagerly and read back with poppler: plan, report, questioning summary, follow-up table."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from councilportal.documents.registry import get_kind
from councilportal.documents.services import document_render, document_request
from councilportal.follow_ups.services import follow_up_answer
from councilportal.models import DocumentStatus, GeneratedDocument
from sessions.models import Session
from supervision import services
from supervision.models import (
    Activity,
    ActivityMember,
    FieldVisit,
    IssueGroup,
    Question,
    Questioning,
    SupervisedBody,
)

from ..pdftools import pdf_text
from .conftest import Province

D = dt.date
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"


def _text(document: GeneratedDocument, name: str) -> str:
    # The job itself (the eager queue runs it only on commit, which a plain test never does).
    document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    with document.file.open("rb") as handle:
        content = handle.read()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"supervision-{name}.pdf").write_bytes(content)
    return " ".join(unicodedata.normalize("NFC", pdf_text(content, layout=False)).split())


@pytest.fixture
def activity(hy: Province, media: Path) -> Activity:
    activity = Activity.objects.create(
        council=hy.council,
        title="Giám sát việc thực hiện chính sách bảo hiểm y tế giai đoạn 2021-2023",
        form="thematic",
        organ=hy.committee,
        decision_number="15/QĐ-HĐND",
        decision_date=D(2023, 3, 6),
        scope="Việc tổ chức thực hiện chính sách bảo hiểm y tế trên địa bàn tỉnh.",
        findings="Tỷ lệ bao phủ bảo hiểm y tế đạt 92,5%.",
        conclusion="Đoàn giám sát đánh giá cao kết quả đạt được.",
    )
    services.milestones_plan(activity)
    ActivityMember.objects.create(activity=activity, delegate=hy.delegates[1], role="head")
    ActivityMember.objects.create(activity=activity, name="Phạm Thu Hà, chuyên viên", role="staff")
    SupervisedBody.objects.create(
        activity=activity,
        agency=hy.agencies[0],
        report_received_on=D(2023, 3, 25),
        report_reference="45/BC-SYT",
    )
    FieldVisit.objects.create(
        activity=activity, date=D(2023, 4, 12), place="Bệnh viện Đa khoa tỉnh"
    )
    services.recommendations_add(
        source=activity,
        agencies=[hy.agencies[0]],
        content="Rà soát, cấp thẻ bảo hiểm y tế cho người cao tuổi",
        issued_on=D(2023, 6, 1),
        due=D(2023, 9, 30),
    )
    return activity


def test_the_plan_and_the_report_print_what_the_activity_holds(
    activity: Activity, hy: Province, eager_jobs: None
) -> None:
    plan = document_request(kind="supervision.plan", source=activity, by=hy.clerk)
    text = _text(plan, "plan")
    assert "KẾ HOẠCH" in text
    assert "HĐND TỈNH HƯNG YÊN" in text and "BAN VĂN HÓA - XÃ HỘI" in text
    assert "Quyết định số 15/QĐ-HĐND ngày 06/03/2023" in text
    assert "Sở Y tế" in text and "Trần Thị Bình" in text
    assert "Gửi kế hoạch đến đối tượng chịu sự giám sát" in text
    assert "15/03/2023" in text  # the plan is due 7 working days after 06/03/2023
    assert "TRƯỞNG BAN" in text
    report = document_request(kind="supervision.report", source=activity, by=hy.clerk)
    text = _text(report, "report")
    assert "BÁO CÁO" in text and "Kết quả giám sát" in text
    assert "Tỷ lệ bao phủ bảo hiểm y tế đạt 92,5%" in text
    assert "Rà soát, cấp thẻ bảo hiểm y tế cho người cao tuổi" in text
    assert "30/09/2023" in text
    assert "45/BC-SYT" in text and "Bệnh viện Đa khoa tỉnh" in text


def test_the_questioning_summary_lists_groups_questions_and_commitments(
    hy: Province, eager_jobs: None
) -> None:
    questioning = Questioning.objects.create(
        council=hy.council,
        kind="session",
        session=hy.session,
        held_on=D(2023, 12, 8),
        title="Chất vấn tại Kỳ họp thứ 13",
        chair_name="Nguyễn Văn An",
        conclusion="Đề nghị Sở Y tế khẩn trương khắc phục.",
    )
    group = IssueGroup.objects.create(
        questioning=questioning,
        title="Cung ứng thuốc, vật tư y tế",
        criterion="urgent",
        respondents="Giám đốc Sở Y tế",
    )
    question = Question.objects.create(
        questioning=questioning,
        group=group,
        delegate=hy.delegates[2],
        respondent="Giám đốc Sở Y tế",
        mode="oral",
        asked_on=D(2023, 12, 8),
        content="Vì sao bệnh viện tuyến tỉnh thiếu thuốc kéo dài?",
    )
    services.question_answer(
        questioning=questioning,
        question=question,
        answer="Do vướng mắc đấu thầu tập trung.",
        answer_mode="oral",
        answered_on=D(2023, 12, 8),
        satisfied="no",
    )
    services.recommendations_add(
        source=question,
        agencies=[hy.agencies[0]],
        content="Hoàn thành đấu thầu thuốc",
        issued_on=D(2023, 12, 8),
        due=D(2024, 3, 31),
    )
    document = document_request(
        kind="supervision.questioning-summary", source=questioning, by=hy.clerk
    )
    text = _text(document, "questioning")
    assert "Tổng hợp kết quả chất vấn và trả lời chất vấn" in text
    assert "Cung ứng thuốc, vật tư y tế" in text
    assert "Lê Văn Cường" in text and "thiếu thuốc kéo dài" in text
    assert "đại biểu chưa tán thành" in text
    assert "Hoàn thành đấu thầu thuốc" in text and "31/03/2024" in text


def test_the_follow_up_table_shows_status_on_the_sessions_opening(
    activity: Activity, hy: Province, eager_jobs: None
) -> None:
    done = services.recommendations_add(
        source=activity,
        agencies=[hy.agencies[1]],
        content="Bổ sung bác sĩ cho trạm y tế xã",
        issued_on=D(2023, 6, 1),
        due=D(2024, 6, 30),
    )[0]
    follow_up_answer(
        follow_up=done.follow_up,
        received_on=D(2023, 11, 1),
        content="Đã bổ sung 12 bác sĩ",
        reference="88/BC-SYT",
        progress=100,
        status="done",
        by=None,
    )
    later = Session.objects.create(
        council=hy.council,
        term=hy.term,
        ordinal=14,
        kind="regular_mid",
        planned_start=D(2024, 7, 10),
        planned_end=D(2024, 7, 12),
    )
    document = document_request(kind="supervision.follow-up-table", source=hy.session, by=hy.clerk)
    with translation.override("en"):  # an English-speaking clerk still prints in Vietnamese
        text = _text(document, "follow-up-table")
    assert "Kết quả thực hiện kiến nghị giám sát" in text
    assert "Kỳ họp thứ 13" in text
    # On 07/12/2023 the September recommendation is overdue; the other one is done.
    assert "Rà soát, cấp thẻ bảo hiểm y tế cho người cao tuổi" in text and "Quá hạn" in text
    assert "Bổ sung bác sĩ cho trạm y tế xã" in text and "Xong" in text
    assert "2 kiến nghị, cam kết" in text and "1 quá hạn" in text
    # At the next session the one closed before the previous session is no longer listed.
    text = _text(
        document_request(kind="supervision.follow-up-table", source=later, by=hy.clerk), "next"
    )
    assert "Bổ sung bác sĩ cho trạm y tế xã" not in text
    assert "Kỳ họp thứ 13, Kỳ họp thứ 14" in text


@pytest.mark.parametrize(
    "key", ["supervision.plan", "supervision.report", "supervision.follow-up-table"]
)
def test_contexts_cost_a_fixed_number_of_queries(
    activity: Activity, hy: Province, key: str
) -> None:
    spec = get_kind(key)
    assert spec is not None
    source = hy.session if key.endswith("table") else activity
    with CaptureQueriesContext(connection) as small:
        spec.build_context(source)
    for i in range(8):
        services.recommendations_add(
            source=activity,
            agencies=[hy.agencies[i % 3]],
            content=f"Kiến nghị {i}",
            issued_on=D(2023, 6, 1),
            due=D(2023, 12, 31),
        )
        SupervisedBody.objects.get_or_create(activity=activity, agency=hy.agencies[i % 3])
    with CaptureQueriesContext(connection) as big:
        spec.build_context(source)
    assert len(big.captured_queries) == len(small.captured_queries)


def test_a_supervision_pdf_cannot_be_asked_from_outside(activity: Activity, world: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        document_request(kind="supervision.plan", source=activity, by=world.users["province_clerk"])
