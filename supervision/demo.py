"""Demo supervision: Hưng Yên's 2023 programme with its items, a concluded thematic delegation
and one under way across the switch to Law 121/2025, questioning at the year-end 2023 session,
an explanation session, and recommendations in each status. Idempotent: an existing programme
leaves everything as it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from councilportal.follow_ups.services import follow_up_answer
from councilportal.models import Agency, Council, Delegate, Organ, OrganKind, Term
from sessions.models import Session

from . import services
from .models import (
    Activity,
    ActivityMember,
    Explanation,
    FieldVisit,
    IssueGroup,
    Milestone,
    Programme,
    ProgrammeItem,
    Question,
    Questioning,
    Recommendation,
    SupervisedBody,
)

D = dt.date


def _agency(council: Council, name: str) -> Agency:
    return Agency.objects.get(council=council, name=name)


def _done_milestones(activity: Activity, days: dict[str, dt.date]) -> None:
    for milestone in Milestone.objects.filter(activity=activity).order_by("order"):
        if milestone.kind in days:
            services.milestone_done(milestone=milestone, done_on=days[milestone.kind])


@transaction.atomic
def seed(out: Callable[[str], None], councils: dict[str, Council]) -> None:
    hy = councils["HY"]
    if Programme.objects.filter(council=hy, owner="council", year=2023).exists():
        out(f"  supervision: {Recommendation.objects.count()} recommendations (kept)")
        return
    term = Term.objects.get(council=hy, ordinal=17)
    social = Organ.objects.get(term=term, kind=OrganKind.CULTURE_SOCIAL)
    econ = Organ.objects.get(term=term, kind=OrganKind.ECONOMY_BUDGET)
    standing = Organ.objects.get(term=term, kind=OrganKind.STANDING_COMMITTEE)
    delegates = list(Delegate.objects.filter(term=term).order_by("pk")[:8])
    health = _agency(hy, "Sở Y tế tỉnh Hưng Yên")
    education = _agency(hy, "Sở Giáo dục và Đào tạo tỉnh Hưng Yên")
    finance = _agency(hy, "Sở Tài chính tỉnh Hưng Yên")
    land = _agency(hy, "Sở Nông nghiệp và Môi trường tỉnh Hưng Yên")
    ubnd = Agency.objects.filter(council=hy, kind="peoples_committee").first() or finance

    programme = Programme.objects.create(
        council=hy,
        owner="council",
        year=2023,
        title="Chương trình giám sát năm 2023 của HĐND tỉnh Hưng Yên",
        resolution_number="25/NQ-HĐND",
        resolution_date=D(2022, 7, 13),
    )
    items = [
        ProgrammeItem.objects.create(
            programme=programme,
            position=n,
            topic=topic,
            form=form,
            responsible=organ,
            planned_start=start,
            planned_end=end,
            status=status,
        )
        for n, (topic, form, organ, start, end, status) in enumerate(
            [
                (
                    "Việc thực hiện chính sách bảo hiểm y tế trên địa bàn tỉnh giai đoạn 2021-2023",
                    "thematic",
                    social,
                    D(2023, 3, 1),
                    D(2023, 6, 30),
                    "done",
                ),
                (
                    "Việc quản lý, sử dụng đất công trên địa bàn tỉnh",
                    "thematic",
                    econ,
                    D(2023, 8, 1),
                    D(2023, 11, 30),
                    "in_progress",
                ),
                (
                    "Chất vấn tại kỳ họp thường lệ cuối năm 2023",
                    "questioning",
                    standing,
                    D(2023, 12, 6),
                    D(2023, 12, 8),
                    "done",
                ),
                (
                    "Giải trình về tình trạng thiếu giáo viên mầm non",
                    "explanation",
                    social,
                    D(2023, 10, 1),
                    D(2023, 10, 31),
                    "done",
                ),
                (
                    "Xem xét báo cáo công tác năm 2023 của UBND tỉnh",
                    "report_review",
                    standing,
                    D(2023, 12, 6),
                    D(2023, 12, 8),
                    "planned",
                ),
            ],
            start=1,
        )
    ]
    Programme.objects.create(
        council=hy,
        owner="committee",
        organ=social,
        year=2023,
        title="Chương trình giám sát năm 2023 của Ban Văn hóa - Xã hội",
    )

    # A concluded thematic delegation: every milestone done, recommendations in each status.
    done = Activity.objects.create(
        council=hy,
        item=items[0],
        title=items[0].topic,
        form="thematic",
        organ=social,
        decision_number="08/QĐ-HĐND",
        decision_date=D(2023, 3, 6),
        scope="Việc tổ chức thực hiện chính sách bảo hiểm y tế, công tác phát triển người tham "
        "gia, quản lý quỹ và chất lượng khám, chữa bệnh bảo hiểm y tế.",
        plan="Đoàn làm việc với Sở Y tế, Bảo hiểm xã hội tỉnh và khảo sát tại 03 cơ sở y tế.",
        period_from=D(2021, 1, 1),
        period_to=D(2022, 12, 31),
        findings="Tỷ lệ bao phủ bảo hiểm y tế đạt 92,5% dân số; còn tình trạng thiếu thuốc, vật "
        "tư y tế tại một số bệnh viện tuyến tỉnh.",
        conclusion_number="45/BC-HĐND",
        conclusion_date=D(2023, 6, 20),
        conclusion="Đoàn giám sát đánh giá cao kết quả đạt được và kiến nghị UBND tỉnh chỉ đạo "
        "khắc phục các tồn tại.",
        status="concluded",
    )
    services.milestones_plan(done)
    for i, role in enumerate(["head", "deputy", "member", "member"]):
        ActivityMember.objects.create(activity=done, delegate=delegates[i + 1], role=role)
    ActivityMember.objects.create(
        activity=done, name="Phạm Thu Hà, chuyên viên Văn phòng", role="staff"
    )
    for agency, day, ref in [
        (health, D(2023, 3, 28), "112/BC-SYT"),
        (finance, D(2023, 3, 30), "87/BC-STC"),
    ]:
        SupervisedBody.objects.create(
            activity=done, agency=agency, report_received_on=day, report_reference=ref
        )
    FieldVisit.objects.create(
        activity=done,
        date=D(2023, 4, 12),
        agency=health,
        place="Bệnh viện Đa khoa tỉnh Hưng Yên",
        notes="Ghi nhận tình trạng thiếu một số thuốc điều trị ngoại trú.",
    )
    _done_milestones(
        done,
        {
            "plan_sent": D(2023, 3, 14),
            "reports_due": D(2023, 3, 30),
            "field_visits": D(2023, 4, 28),
            "draft_report": D(2023, 5, 25),
            "adoption": D(2023, 6, 20),
        },
    )
    recs = [
        services.recommendations_add(
            source=done, agencies=[agency], content=content, issued_on=D(2023, 6, 20), due=due
        )[0]
        for agency, content, due in [
            (
                health,
                "Khẩn trương tổ chức đấu thầu tập trung thuốc, khắc phục tình trạng thiếu "
                "thuốc tại các bệnh viện tuyến tỉnh.",
                D(2023, 12, 31),
            ),
            (
                finance,
                "Bố trí kinh phí hỗ trợ mua thẻ bảo hiểm y tế cho người cao tuổi từ 70 "
                "đến dưới 80 tuổi.",
                D(2024, 6, 30),
            ),
            (
                ubnd,
                "Chỉ đạo rà soát, cấp thẻ bảo hiểm y tế cho học sinh, sinh viên chưa tham gia.",
                D(2027, 3, 31),
            ),
            (education, "Nâng tỷ lệ học sinh tham gia bảo hiểm y tế lên 100%.", D(2027, 6, 30)),
        ]
    ]
    follow_up_answer(
        follow_up=recs[0].follow_up,
        received_on=D(2023, 9, 15),
        content="Đã hoàn thành đấu thầu 85% danh mục thuốc.",
        reference="245/SYT-NVD",
        progress=85,
        status="partly_done",
        by=None,
    )
    follow_up_answer(
        follow_up=recs[0].follow_up,
        received_on=D(2023, 12, 20),
        content="Đã hoàn thành đấu thầu toàn bộ danh mục thuốc.",
        reference="301/SYT-NVD",
        progress=100,
        status="done",
        by=None,
    )
    follow_up_answer(
        follow_up=recs[3].follow_up,
        received_on=D(2026, 9, 10),
        content="Tỷ lệ học sinh tham gia đạt 97,8%.",
        reference="510/SGDĐT-KHTC",
        progress=60,
        status="partly_done",
        by=None,
    )
    # recs[1] stays open past its due date (overdue); recs[2] is open and not yet due.

    # A delegation under way, decided just before the switch to Law 121/2025.
    current = Activity.objects.create(
        council=hy,
        item=items[1],
        title=items[1].topic,
        form="thematic",
        organ=econ,
        decision_number="05/QĐ-HĐND",
        decision_date=D(2026, 2, 16),
        scope="Việc quản lý, sử dụng đất công do UBND cấp xã quản lý.",
        status="under_way",
    )
    services.milestones_plan(current)
    ActivityMember.objects.create(activity=current, delegate=delegates[5], role="head")
    SupervisedBody.objects.create(activity=current, agency=land)
    _done_milestones(current, {"plan_sent": D(2026, 2, 26)})

    # Questioning at the year-end 2023 session.
    session = (
        Session.objects.filter(council=hy, term=term, kind="regular_end", planned_start__year=2023)
        .order_by("-planned_start")
        .first()
    )
    if session is not None:
        questioning = Questioning.objects.create(
            council=hy,
            kind="session",
            session=session,
            held_on=session.opening,
            title=f"Chất vấn và trả lời chất vấn tại {session.ordinal_name}",
            chair_name="Trần Quốc Toản",
            conclusion="Đề nghị các sở, ngành thực hiện nghiêm các cam kết đã trả lời.",
        )
        g1 = IssueGroup.objects.create(
            questioning=questioning,
            position=1,
            title="Cung ứng thuốc, vật tư y tế",
            criterion="supervision",
            respondents="Giám đốc Sở Y tế",
        )
        g2 = IssueGroup.objects.create(
            questioning=questioning,
            position=2,
            title="Thiếu giáo viên mầm non",
            criterion="urgent",
            respondents="Giám đốc Sở Giáo dục và Đào tạo",
        )
        q1 = Question.objects.create(
            questioning=questioning,
            group=g1,
            delegate=delegates[3],
            respondent="Giám đốc Sở Y tế",
            agency=health,
            mode="oral",
            asked_on=session.opening,
            content="Vì sao tình trạng thiếu thuốc tại bệnh viện tuyến tỉnh kéo dài?",
        )
        services.question_answer(
            questioning=questioning,
            question=q1,
            answer_mode="oral",
            answered_on=session.opening,
            satisfied="yes",
            answer="Nguyên nhân do vướng mắc trong đấu thầu tập trung; Sở cam kết hoàn thành "
            "trong quý I năm 2024.",
        )
        services.recommendations_add(
            source=q1,
            agencies=[health],
            content="Hoàn thành đấu thầu thuốc trong quý I/2024.",
            issued_on=session.opening,
            due=D(2024, 3, 31),
        )
        q2 = Question.objects.create(
            questioning=questioning,
            group=g2,
            delegate=delegates[4],
            respondent="Giám đốc Sở Giáo dục và Đào tạo",
            agency=education,
            mode="oral",
            asked_on=session.opening,
            content="Giải pháp nào để khắc phục tình trạng thiếu 420 giáo viên mầm non?",
        )
        services.question_answer(
            questioning=questioning,
            question=q2,
            answer_mode="oral",
            answered_on=session.opening,
            satisfied="no",
            answer="Sở đang phối hợp Sở Nội vụ tham mưu tuyển dụng bổ sung.",
        )
        Question.objects.create(
            questioning=questioning,
            group=g2,
            delegate=delegates[6],
            respondent="Giám đốc Sở Giáo dục và Đào tạo",
            agency=education,
            mode="written",
            asked_on=session.opening,
            content="Đề nghị cho biết kế hoạch tuyển dụng giáo viên năm 2024.",
        )

    explanation = Explanation.objects.create(
        council=hy,
        organ=social,
        item=items[3],
        held_on=D(2023, 10, 18),
        topic="Tình trạng thiếu giáo viên mầm non trên địa bàn tỉnh",
        explainers="Giám đốc Sở Giáo dục và Đào tạo\nPhó Giám đốc Sở Nội vụ",
        conclusions="Đề nghị Sở Giáo dục và Đào tạo chủ trì tham mưu kế hoạch tuyển dụng.",
        conclusion_number="12/TB-BVHXH",
    )
    explanation.agencies.set([education])
    services.recommendations_add(
        source=explanation,
        agencies=[education],
        content="Tham mưu UBND tỉnh kế hoạch tuyển dụng giáo viên mầm non năm 2024.",
        issued_on=D(2023, 10, 18),
        due=D(2023, 12, 31),
    )
    out(
        f"  supervision: {Programme.objects.count()} programmes, "
        f"{Activity.objects.count()} activities, {Recommendation.objects.count()} recommendations"
    )
