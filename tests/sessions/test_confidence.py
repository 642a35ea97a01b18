"""Confidence votes (NQ 96/2023/QH15): shares of ALL delegates, the half and two-thirds flags,
the follow-up each flag opens (once), and the preparation milestones before the opening."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from councilportal.models import FollowUp
from sessions.models import ConfidenceMilestone, ConfidenceRating, ConfidenceVote
from sessions.services import confidence_save

from .. import factories as f
from .conftest import CLOSING, OPENING, Assembly, assembly

HELD_ON = dt.date(2023, 12, 8)


def _vote(council: Assembly, collected: int) -> ConfidenceVote:
    return ConfidenceVote(
        session=council.session,
        held_on=HELD_ON,
        total_delegates=0,  # taken from the register on saving
        ballots_issued=collected,
        ballots_collected=collected,
        valid_ballots=collected,
    )


def _rating(name: str, low: int, high: int = 0, trust: int = 0, **extra: Any) -> ConfidenceRating:
    return ConfidenceRating(
        official_name=name, post="Phó Chủ tịch UBND tỉnh", high=high, trust=trust, low=low, **extra
    )


def _follow_ups() -> Any:
    return FollowUp.objects.filter(
        source_type=ContentType.objects.get_for_model(ConfidenceRating)
    ).order_by("source_id")


def test_each_level_is_a_share_of_all_delegates_not_of_the_ballots(db: Any) -> None:
    # Vĩnh Phúc 2023: 46 ballots, 47 delegates.
    council = assembly(47)
    vote = _vote(council, 46)
    rating = _rating("Nguyễn Văn Khoa", high=19, trust=2, low=25)
    confidence_save(vote=vote, ratings=[rating], by=None)
    vote.refresh_from_db()
    assert vote.total_delegates == 47
    assert rating.shares() == {"high": "19 (40,43%)", "trust": "2 (4,26%)", "low": "25 (53,19%)"}
    assert rating.flag() == "half"


@pytest.mark.parametrize(
    "size,low,flag",
    [
        (60, 30, None),  # exactly half is not more than half
        (60, 31, "half"),
        (60, 39, "half"),
        (60, 40, "two_thirds"),  # ceil(2/3 × 60)
        (47, 23, None),
        (47, 24, "half"),
        (47, 31, "half"),
        (47, 32, "two_thirds"),  # ceil(2/3 × 47)
    ],
)
def test_the_flags_start_above_half_and_at_two_thirds(
    db: Any, size: int, low: int, flag: str | None
) -> None:
    council = assembly(size)
    vote = _vote(council, size)
    rating = _rating("Người được lấy phiếu", low=low)
    confidence_save(vote=vote, ratings=[rating], by=None)
    assert ConfidenceRating.objects.get(pk=rating.pk).flag() == flag


def test_an_exempt_official_is_never_flagged(db: Any) -> None:
    council = assembly(10)
    vote = _vote(council, 10)
    rating = _rating(
        "Người nghỉ hưu", low=9, exempt=True, exemption_reason="Đã có thông báo nghỉ hưu"
    )
    assert confidence_save(vote=vote, ratings=[rating], by=None) == []
    assert rating.flag() is None


def test_saving_opens_one_follow_up_per_flagged_official_and_never_a_second(db: Any) -> None:
    council = assembly(60)
    vote = _vote(council, 60)
    ratings = [
        _rating("Trần Văn An", low=30, trust=30),
        _rating("Lê Thị Bình", low=31, trust=29),
        _rating("Phạm Văn Cường", low=40, trust=20),
        _rating("Hoàng Văn Dũng", low=50, exempt=True, exemption_reason="Mới được bầu trong năm"),
    ]
    opened = confidence_save(vote=vote, ratings=ratings, by=None)
    assert len(opened) == 2
    follow_ups = list(_follow_ups())
    assert [fu.source_id for fu in follow_ups] == [ratings[1].pk, ratings[2].pk]
    half, two_thirds = follow_ups
    assert "Lê Thị Bình" in half.content and "Phạm Văn Cường" in two_thirds.content
    for fu in follow_ups:
        assert fu.to_organ == council.standing
        assert fu.council == council.council
        assert fu.sent_on == HELD_ON
        assert fu.due_date == CLOSING  # at this session or the next
        assert fu.status == "open"

    # Saving again (a typo corrected) opens nothing new.
    ratings[2].trust = 19
    ratings[2].high = 1
    assert confidence_save(vote=vote, ratings=ratings, by=None) == []
    assert _follow_ups().count() == 2


def test_a_tally_above_the_ballots_collected_is_refused(db: Any) -> None:
    council = assembly(20)
    vote = _vote(council, 18)
    with pytest.raises(ValidationError):
        confidence_save(vote=vote, ratings=[_rating("Quá phiếu", high=10, trust=5, low=4)], by=None)
    assert not ConfidenceVote.objects.filter(session=council.session).exists()
    assert not ConfidenceRating.objects.exists()


def test_the_milestones_count_back_45_30_25_20_days_from_the_opening(db: Any) -> None:
    council = assembly(10)
    vote = _vote(council, 10)
    confidence_save(vote=vote, ratings=[], by=None)
    ConfidenceMilestone.objects.create(
        confidence_vote=vote, key="confidence.list_fixed", done_on=dt.date(2023, 10, 20)
    )
    ConfidenceMilestone.objects.create(
        confidence_vote=vote, key="confidence.self_report", done_on=dt.date(2023, 11, 10)
    )
    rows = {row["key"]: row for row in vote.milestones()}
    assert {key: row["due"] for key, row in rows.items()} == {
        "confidence.list_fixed": dt.date(2023, 10, 23),
        "confidence.self_report": dt.date(2023, 11, 7),
        "confidence.mttq_summary": dt.date(2023, 11, 12),
        "confidence.papers_to_delegates": dt.date(2023, 11, 17),
    }
    for key, days in [
        ("confidence.list_fixed", 45),
        ("confidence.self_report", 30),
        ("confidence.mttq_summary", 25),
        ("confidence.papers_to_delegates", 20),
    ]:
        assert rows[key]["due"] == OPENING - dt.timedelta(days=days)
        assert "96/2023/QH15" in rows[key]["basis"]
    assert rows["confidence.list_fixed"]["late"] is False
    assert rows["confidence.self_report"]["late"] is True  # done 3 days after it was due
    assert rows["confidence.mttq_summary"]["done_on"] is None


def test_the_milestones_follow_the_actual_opening(db: Any) -> None:
    council = assembly(10)
    council.session.actual_start = dt.date(2023, 12, 12)
    council.session.actual_end = dt.date(2023, 12, 14)
    council.session.save()
    vote = _vote(council, 10)
    confidence_save(vote=vote, ratings=[], by=None)
    due = [row["due"] for row in vote.milestones()]
    assert due == [
        dt.date(2023, 10, 28),
        dt.date(2023, 11, 12),
        dt.date(2023, 11, 17),
        dt.date(2023, 11, 22),
    ]


def test_the_confidence_page_saves_ratings_and_reports_the_follow_ups(db: Any, client: Any) -> None:
    council = assembly(10)
    clerk = f.UserFactory(username="clerk-hy")
    f.RoleFactory(user=clerk, council=council.council, role="clerk")
    client.force_login(clerk)
    url = reverse("sessions:confidence-edit", args=[council.session.pk])
    assert client.get(url).status_code == 200
    data = {
        "vote-held_on": "08/12/2023",
        "vote-ballots_issued": "10",
        "vote-ballots_collected": "10",
        "vote-valid_ballots": "10",
        "vote-resolution_reference": "",
        "r-TOTAL_FORMS": "3",
        "r-INITIAL_FORMS": "0",
        "r-MIN_NUM_FORMS": "0",
        "r-MAX_NUM_FORMS": "1000",
    }
    rows = [("Nguyễn Thị Hoa", 2, 2, 6), ("Đỗ Văn Hùng", 5, 5, 0)]
    for n, (name, high, trust, low) in enumerate(rows):
        data |= {
            f"r-{n}-official_name": name,
            f"r-{n}-post": "Ủy viên UBND tỉnh",
            f"r-{n}-high": str(high),
            f"r-{n}-trust": str(trust),
            f"r-{n}-low": str(low),
            f"r-{n}-exemption_reason": "",
        }
    data |= {"r-2-official_name": "", "r-2-post": "", "r-2-high": "0", "r-2-trust": "0"}
    data |= {"r-2-low": "0", "r-2-exemption_reason": ""}
    response = client.post(url, data)
    vote = ConfidenceVote.objects.get(session=council.session)
    assert response.status_code == 302 and response.url == vote.get_absolute_url()
    assert vote.total_delegates == 10
    assert list(vote.ratings.values_list("official_name", "position")) == [
        ("Nguyễn Thị Hoa", 1),
        ("Đỗ Văn Hùng", 2),
    ]
    assert _follow_ups().count() == 1
    page = client.get(vote.get_absolute_url()).content.decode()
    assert "6 (60,00%)" in page and "Nguyễn Thị Hoa" in page


def test_a_preparation_milestone_done_late_says_by_how_many_days(
    db: Any, client: Any, settings: Any
) -> None:
    """14.11: "Hoàn thành muộn N ngày" against the due date counted from the rules in force."""
    settings.LANGUAGE_CODE = "vi"
    council = assembly(10)
    vote = _vote(council, 10)
    confidence_save(vote=vote, ratings=[], by=None)
    ConfidenceMilestone.objects.create(
        confidence_vote=vote, key="confidence.self_report", done_on=dt.date(2023, 11, 10)
    )
    ConfidenceMilestone.objects.create(
        confidence_vote=vote, key="confidence.list_fixed", done_on=dt.date(2023, 10, 20)
    )
    clerk = f.UserFactory(username="clerk-hy")
    f.RoleFactory(user=clerk, council=council.council, role="clerk")
    client.force_login(clerk)
    page = client.get(vote.get_absolute_url()).content.decode()
    assert "Hoàn thành muộn 3 ngày" in page  # due 07/11/2023, done 10/11/2023
    assert page.count("Hoàn thành muộn") == 1  # the list was fixed on time
