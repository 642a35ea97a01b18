"""Demo data of the liaison rounds: the seed's meeting (the fourth liaison meeting of Hưng Yên,
1/3/2023) as a completed round, every district's report submitted, and an open round for the
next meeting that the demo's commune clerk (chuyenvien.xa) can fill in and submit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from councilportal.dashboard.board import Period
from councilportal.models import Council, Role, RoleAssignment
from sessions.models import Meeting, MeetingKind

from . import services
from .models import (
    Conclusion,
    CouncilReport,
    FigureCorrection,
    Proposal,
    ReportingRound,
    ReportStatus,
)

D = dt.date
NEXT_TITLE = (
    "Giao ban Thường trực HĐND tỉnh với Thường trực HĐND các xã, phường (đợt báo cáo đang mở)"
)

PRACTICES = [
    "Tổ chức tiếp xúc cử tri theo chuyên đề về đất đai tại các thôn có nhiều đơn thư; "
    "đại biểu báo cáo lại kết quả giải quyết tại buổi tiếp xúc sau.",
    "Thường trực HĐND huyện phân công đại biểu theo dõi từng kiến nghị của cử tri "
    "đến khi có kết quả.",
    "Giám sát chuyên đề việc giải quyết đơn thư, chọn vấn đề trọng tâm, trọng điểm.",
]
PROPOSALS = [
    (
        "council",
        "Đề nghị Thường trực HĐND tỉnh tổ chức bồi dưỡng kỹ năng tiếp xúc cử tri "
        "cho đại biểu cấp huyện.",
    ),
    ("land", "Đề nghị hướng dẫn thống nhất việc giải quyết kiến nghị về thu hồi, bồi thường đất."),
    ("organisation", "Đề nghị hướng dẫn quy trình lấy phiếu tín nhiệm theo Quy định số 96-QĐ/TW."),
]


@transaction.atomic
def seed(out: Callable[[str], None], councils: dict[str, Council]) -> None:
    hy = councils["HY"]
    _completed(out, hy)
    _open(out, hy)


def _completed(out: Callable[[str], None], hy: Council) -> None:
    meeting = Meeting.objects.filter(
        council=hy, date=D(2023, 3, 1), kind=MeetingKind.LIAISON
    ).first()
    if meeting is None or ReportingRound.objects.filter(meeting=meeting).exists():
        return
    period = Period(D(2022, 12, 10), D(2023, 2, 20), "custom")
    deadline = services.round_deadline(council=hy, meeting_date=meeting.date)
    liaison_round = ReportingRound.objects.create(
        council=hy,
        meeting=meeting,
        period_start=period.start,
        period_end=period.end,
        topic=meeting.topic,
        questions="Kinh nghiệm phát huy vai trò cầu nối giữa đại biểu với cử tri tại nơi ứng cử?\n"
        "Giải pháp nâng cao chất lượng giám sát?",
        deadline=deadline.date,
        deadline_explanation=deadline.explanation[:300],
    )
    districts = services.asked_councils(council=hy, scope="children", on=meeting.date)
    for index, district in enumerate(districts):
        figures = services.figure_keys(services.council_figures(council=district, period=period))
        late = index == len(districts) - 1
        submitted = timezone.make_aware(
            dt.datetime.combine(deadline.date + dt.timedelta(days=2 if late else -1), dt.time(16))
        )
        report = CouncilReport.objects.create(
            round=liaison_round,
            council=district,
            status=ReportStatus.SUBMITTED,
            assessment="Thường trực HĐND đã thực hiện tốt chức năng, nhiệm vụ; "
            "xây dựng chương trình giám sát năm 2023. Hạn chế: chất lượng trả lời kiến nghị "
            "cử tri của một số cơ quan chưa cao.",
            difficulties="Biên chế cơ quan tham mưu, giúp việc còn mỏng.",
            good_practices=PRACTICES[index % len(PRACTICES)],
            answers={"0": PRACTICES[index % len(PRACTICES)]},
            figures={key: figure.computed for key, figure in figures.items()},
            started_at=submitted,
            submitted_at=submitted,
        )
        field, text = PROPOSALS[index % len(PROPOSALS)]
        Proposal.objects.create(report=report, field=field, text=text)
        if index == 0:
            FigureCorrection.objects.create(
                report=report,
                key="sessions.sessions",
                computed=figures["sessions.sessions"].computed,
                corrected=figures["sessions.sessions"].computed + 1,
                reason="Kỳ họp chuyên đề ngày 10/02/2023 chưa được nhập vào Cổng.",
            )
    Conclusion.objects.create(round=liaison_round, text=meeting.conclusions)
    out(f"  liaison: the completed round of {meeting.date:%d/%m/%Y} ({len(districts)} reports)")


def _open(out: Callable[[str], None], hy: Council) -> None:
    if ReportingRound.objects.filter(council=hy, meeting__title=NEXT_TITLE).exists():
        return
    clerk = (
        RoleAssignment.objects.filter(council=hy, role=Role.CLERK).select_related("user").first()
    )
    today = timezone.localdate()
    period = services.round_default_period(council=hy, today=today)
    liaison_round = services.round_open(
        council=hy,
        title=NEXT_TITLE,
        meeting_date=today + dt.timedelta(days=21),
        venue="Hội trường HĐND tỉnh Hưng Yên",
        topic="Nâng cao chất lượng tiếp xúc cử tri và giám sát việc giải quyết kiến nghị "
        "của cử tri sau sắp xếp đơn vị hành chính.",
        period_start=period.start,
        period_end=period.end,
        scope="children",
        questions="Cách làm hay trong tiếp xúc cử tri theo chuyên đề?",
        by=clerk.user if clerk else None,
    )
    out(
        f"  liaison: the open round for {liaison_round.meeting.date:%d/%m/%Y}, reports due "
        f"{liaison_round.deadline:%d/%m/%Y}"
    )
