"""Programme progress, milestones computed from the effective-dated rules (holidays, the switch
to Law 121/2025 on 01/3/2026), milestones out of order, recommendations' status on a day, answers
at the wrong session, and the daily reminder job."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from councilportal.follow_ups.services import follow_up_answer, sessions_across
from councilportal.follow_ups.tasks import daily_reminders
from councilportal.models import FollowUp, Notification
from sessions.models import Session
from supervision import services
from supervision.models import (
    Activity,
    Milestone,
    Programme,
    ProgrammeItem,
    Question,
    Questioning,
    Recommendation,
)

from .conftest import Province

D = dt.date


def _activity(hy: Province, decision: dt.date, **extra: Any) -> Activity:
    activity = Activity.objects.create(
        council=hy.council,
        title="Giám sát việc thực hiện chính sách bảo hiểm y tế",
        form="thematic",
        organ=hy.committee,
        decision_number="15/QĐ-HĐND",
        decision_date=decision,
        **extra,
    )
    services.milestones_plan(activity)
    return activity


def _milestones(activity: Activity) -> dict[str, Milestone]:
    return {m.kind: m for m in activity.milestones.all()}


def test_programme_progress_counts_done_against_planned_items(hy: Province) -> None:
    programme = Programme.objects.create(
        council=hy.council, owner="council", year=2023, title="Chương trình giám sát năm 2023"
    )
    for i, status in enumerate(["done", "done", "in_progress", "planned", "cancelled"]):
        ProgrammeItem.objects.create(
            programme=programme,
            position=i + 1,
            topic=f"Nội dung {i}",
            form="thematic",
            planned_start=D(2023, 3, 1),
            planned_end=D(2023, 5, 1),
            status=status,
        )
    # The cancelled item is no longer planned: 2 of 4.
    assert programme.progress() == (2, 4)
    assert programme.progress_percent() == 50
    assert programme.progress_label() == "2/4 (50%)"


def test_milestones_are_counted_from_the_rules_and_skip_tet(hy: Province) -> None:
    # Decision on Monday 16/01/2023; Tết Quý Mão: 20/01–26/01/2023 off.
    activity = _activity(hy, D(2023, 1, 16))
    m = _milestones(activity)
    assert m["decision"].due_date == D(2023, 1, 16)
    assert m["decision"].done_on == D(2023, 1, 16)
    # 7 working days: 17, 18, 19, 27, 30, 31/01 and 01/02.
    assert m["plan_sent"].due_date == D(2023, 2, 1)
    assert "Tết" in m["plan_sent"].due_explanation
    assert "87/2015" in m["plan_sent"].due_explanation
    # 15 calendar days after 01/02 is Thursday 16/02.
    assert m["reports_due"].due_date == D(2023, 2, 16)
    assert m["reports_due"].due_start == D(2023, 2, 1)
    # Every later milestone comes after the one before it.
    dates = [x.due_date for x in activity.milestones.order_by("order")]
    assert dates == sorted(dates)


def test_milestones_after_the_switch_cite_law_121(hy: Province) -> None:
    activity = _activity(hy, D(2026, 2, 20))
    m = _milestones(activity)
    # Counted from 20/02/2026: the 2015 law's rule; 7 working days end on 03/03/2026.
    assert "87/2015" in m["plan_sent"].due_explanation
    assert m["plan_sent"].due_date == D(2026, 3, 3)
    # Counted from 03/03/2026: Law 121/2025 is in force.
    assert "121/2025" in m["reports_due"].due_explanation


def test_recording_a_milestone_recounts_the_later_ones(hy: Province) -> None:
    activity = _activity(hy, D(2023, 3, 6))
    m = _milestones(activity)
    before = m["reports_due"].due_date
    services.milestone_done(milestone=m["plan_sent"], done_on=D(2023, 3, 8))
    after = _milestones(activity)["reports_due"]
    assert after.due_start == D(2023, 3, 8)
    assert after.due_date == D(2023, 3, 23)
    assert after.due_date < before


def test_milestones_out_of_order_are_refused(hy: Province) -> None:
    activity = _activity(hy, D(2023, 3, 6))
    m = _milestones(activity)
    with pytest.raises(ValidationError) as skipped:
        services.milestone_done(milestone=m["reports_due"], done_on=D(2023, 3, 20))
    assert "theo thứ tự" in " ".join(skipped.value.messages)
    with pytest.raises(ValidationError) as early:
        services.milestone_done(milestone=m["plan_sent"], done_on=D(2023, 3, 1))
    assert "trước" in " ".join(early.value.messages)
    services.milestone_done(milestone=m["plan_sent"], done_on=D(2023, 3, 8))
    services.milestone_done(milestone=_milestones(activity)["reports_due"], done_on=D(2023, 3, 20))
    with pytest.raises(ValidationError):
        # Moving "plan sent" after "reports due" would reverse the work.
        services.milestone_done(
            milestone=_milestones(activity)["plan_sent"], done_on=D(2023, 3, 25)
        )
    assert _milestones(activity)["plan_sent"].done_on == D(2023, 3, 8)


def test_a_recommendation_needs_an_addressee(hy: Province) -> None:
    activity = _activity(hy, D(2023, 3, 6))
    with pytest.raises(ValidationError) as exc:
        services.recommendations_add(
            source=activity,
            agencies=[],
            content="Tăng cường kiểm tra",
            issued_on=D(2023, 6, 1),
            due=D(2023, 9, 1),
        )
    assert "cơ quan" in " ".join(exc.value.messages)
    assert not Recommendation.objects.exists()
    assert not FollowUp.objects.exists()


def test_one_recommendation_per_agency_each_owning_a_follow_up(hy: Province) -> None:
    activity = _activity(hy, D(2023, 3, 6))
    made = services.recommendations_add(
        source=activity,
        agencies=hy.agencies[:2],
        content="Rà soát danh sách người tham gia bảo hiểm y tế",
        issued_on=D(2023, 6, 1),
        due=D(2023, 9, 30),
    )
    assert len(made) == 2
    assert {r.follow_up.to_agency for r in made} == set(hy.agencies[:2])
    assert all(r.follow_up.source == activity for r in made)
    assert all(r.kind == "recommendation" for r in made)


def test_status_on_a_day_open_partly_done_done_and_overdue(hy: Province, db: Any) -> None:
    activity = _activity(hy, D(2023, 3, 6))
    rec = services.recommendations_add(
        source=activity,
        agencies=[hy.agencies[0]],
        content="Bố trí kinh phí",
        issued_on=D(2023, 6, 1),
        due=D(2023, 9, 30),
    )[0]
    assert rec.status_on(D(2023, 9, 30)) == "open"
    assert rec.status_on(D(2023, 10, 1)) == "overdue"
    follow_up_answer(
        follow_up=rec.follow_up,
        received_on=D(2023, 8, 1),
        content="Đã bố trí một phần",
        reference="12/BC-SYT",
        progress=40,
        status="partly_done",
        by=None,
    )
    rec.refresh_from_db()
    assert rec.status_on(D(2023, 9, 1)) == "partly_done"
    assert rec.status_on(D(2023, 10, 1)) == "overdue"
    assert list(Recommendation.objects.with_status("overdue", D(2023, 10, 1))) == [rec]
    assert not Recommendation.objects.with_status("overdue", D(2023, 9, 1)).exists()
    follow_up_answer(
        follow_up=rec.follow_up,
        received_on=D(2023, 11, 15),
        content="Đã hoàn thành",
        reference="20/BC-SYT",
        progress=100,
        status="done",
        by=None,
    )
    rec.refresh_from_db()
    assert rec.status_on(D(2023, 12, 1)) == "done"
    # On a day before it was closed it was still overdue (a table for a past session).
    assert rec.status_on(D(2023, 11, 1)) == "overdue"
    assert rec.follow_up.answers.count() == 2


def test_a_recommendation_is_carried_across_sessions_until_closed(hy: Province) -> None:
    activity = _activity(hy, D(2023, 3, 6))
    Session.objects.create(
        council=hy.council,
        term=hy.term,
        ordinal=14,
        kind="regular_mid",
        planned_start=D(2024, 7, 10),
        planned_end=D(2024, 7, 12),
    )
    rec = services.recommendations_add(
        source=activity,
        agencies=[hy.agencies[0]],
        content="Kiến nghị kéo dài",
        issued_on=D(2023, 6, 1),
        due=D(2023, 9, 30),
    )[0]
    sessions_across([rec], on=D(2024, 12, 31))
    assert [s.ordinal for s in rec.sessions_across] == [13, 14]
    follow_up_answer(
        follow_up=rec.follow_up,
        received_on=D(2024, 1, 10),
        content="Xong",
        reference="",
        progress=100,
        status="done",
        by=None,
    )
    rec.refresh_from_db()
    sessions_across([rec], on=D(2024, 12, 31))
    assert [s.ordinal for s in rec.sessions_across] == [13]


def _questioning(hy: Province, session: Session) -> Questioning:
    return Questioning.objects.create(
        council=hy.council,
        kind="session",
        session=session,
        held_on=session.planned_start,
        title=f"Chất vấn tại {session}",
    )


def test_an_answer_to_a_question_of_another_session_is_refused(hy: Province) -> None:
    other_session = Session.objects.create(
        council=hy.council,
        term=hy.term,
        ordinal=12,
        kind="regular_mid",
        planned_start=D(2023, 7, 10),
        planned_end=D(2023, 7, 12),
    )
    here = _questioning(hy, hy.session)
    there = _questioning(hy, other_session)
    question = Question.objects.create(
        questioning=there,
        delegate=hy.delegates[1],
        respondent="Giám đốc Sở Y tế",
        mode="oral",
        asked_on=D(2023, 7, 11),
        content="Tình trạng thiếu thuốc?",
    )
    with pytest.raises(ValidationError) as exc:
        services.question_answer(
            questioning=here,
            question=question,
            answer="Đã khắc phục",
            answer_mode="oral",
            answered_on=D(2023, 12, 7),
        )
    assert "Kỳ họp thứ 12" in " ".join(exc.value.messages)
    question.refresh_from_db()
    assert not question.is_answered
    services.question_answer(
        questioning=there,
        question=question,
        answer="Đã khắc phục",
        answer_mode="oral",
        answered_on=D(2023, 7, 11),
        satisfied="yes",
    )
    question.refresh_from_db()
    assert question.is_answered and question.satisfied == "yes"


def test_a_commitment_from_an_answer_is_tracked_like_a_recommendation(hy: Province) -> None:
    here = _questioning(hy, hy.session)
    question = Question.objects.create(
        questioning=here,
        delegate=hy.delegates[1],
        respondent="Giám đốc Sở Y tế",
        mode="oral",
        asked_on=D(2023, 12, 7),
        content="Tình trạng thiếu thuốc?",
    )
    services.question_answer(
        questioning=here,
        question=question,
        answer="Sẽ đấu thầu xong trong quý I",
        answer_mode="oral",
        answered_on=D(2023, 12, 7),
    )
    commitment = services.recommendations_add(
        source=question,
        agencies=[hy.agencies[0]],
        content="Hoàn thành đấu thầu thuốc",
        issued_on=D(2023, 12, 7),
        due=D(2024, 3, 31),
    )[0]
    assert commitment.kind == "commitment"
    assert commitment.question == question
    assert commitment.status_on(D(2024, 4, 1)) == "overdue"


def test_the_daily_job_reminds_of_milestones_once(hy: Province, settings: Any) -> None:
    activity = _activity(hy, D(2023, 3, 6))
    plan_sent = _milestones(activity)["plan_sent"]
    day = plan_sent.due_date + dt.timedelta(days=2)
    first = daily_reminders(day.isoformat())
    assert first["supervision-milestones"] == 1
    second = daily_reminders(day.isoformat())
    assert second["supervision-milestones"] == 0
    rows = Notification.objects.filter(user=hy.clerk, key__startswith="supervision-milestone:")
    assert rows.count() == 1
    assert rows.get().key == f"supervision-milestone:{plan_sent.pk}:overdue"
    assert "Gửi kế hoạch" in rows.get().title or "kế hoạch" in rows.get().title
    assert len(mail.outbox) == 1


def test_recommendations_are_reminded_once_by_the_core_not_twice(hy: Province) -> None:
    activity = Activity.objects.create(council=hy.council, title="Giám sát", form="thematic")
    rec = services.recommendations_add(
        source=activity,
        agencies=[hy.agencies[0]],
        content="Kiến nghị quá hạn",
        issued_on=D(2023, 6, 1),
        due=D(2023, 9, 30),
    )[0]
    result = daily_reminders("2023-10-05")
    assert result["follow-ups"] == 1
    assert result["supervision-milestones"] == 0  # no milestone without a decision date
    keys = list(Notification.objects.filter(user=hy.clerk).values_list("key", flat=True))
    assert keys == [f"follow-up:{rec.follow_up.pk}:overdue"]
    assert daily_reminders("2023-10-05")["follow-ups"] == 0


def test_a_new_day_off_moves_open_milestones(hy: Province) -> None:
    from councilportal.calendar_overrides import calendar_override_save
    from councilportal.models import CalendarOverride

    activity = _activity(hy, D(2023, 3, 6))
    plan_sent = _milestones(activity)["plan_sent"]
    assert plan_sent.due_date == D(2023, 3, 15)
    moved = calendar_override_save(
        override=CalendarOverride(date=D(2023, 3, 10), kind="day_off", name="Nghỉ bù")
    )
    assert moved["supervision-milestones"] >= 1
    assert _milestones(activity)["plan_sent"].due_date == D(2023, 3, 16)
