"""Votes: the pass thresholds of the law in integer arithmetic, the published percentages, the
stored total of delegates, roll calls, and the one-third request for an extraordinary session."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from sessions.models import Ballot, Majority, Session, Vote, share
from sessions.services import vote_record

from .. import factories as f
from .conftest import assembly

# 30/06/2025 is under Law 77/2015, 01/07/2025 under Law 72/2025: both rows must agree.
DAYS = [dt.date(2023, 12, 8), dt.date(2025, 6, 30), dt.date(2025, 7, 1)]


@pytest.mark.parametrize("held_on", DAYS, ids=str)
@pytest.mark.parametrize(
    "size,majority,failing,passing",
    [
        (60, Majority.ORDINARY, 30, 31),
        (47, Majority.ORDINARY, 23, 24),
        (60, Majority.RECALL, 39, 40),
        (47, Majority.RECALL, 31, 32),
    ],
)
def test_a_vote_passes_exactly_at_the_legal_threshold_of_all_delegates(
    db: Any, held_on: dt.date, size: int, majority: str, failing: int, passing: int
) -> None:
    council = assembly(size)
    below = vote_record(
        item=council.item,
        subject="Dưới ngưỡng",
        majority=majority,
        held_on=held_on,
        votes_for=failing,
    )
    at = vote_record(
        item=council.item,
        subject="Đạt ngưỡng",
        majority=majority,
        held_on=held_on,
        votes_for=passing,
    )
    below.refresh_from_db()
    at.refresh_from_db()
    assert below.total_delegates == at.total_delegates == size
    assert below.passed is False
    assert at.passed is True
    # The rule row in force that day produced the figure, with its legal basis.
    basis = at.threshold().legal_basis
    assert ("72/2025" in basis) == (held_on >= dt.date(2025, 7, 1))


def test_an_ordinary_majority_counts_against_all_delegates_not_those_voting(db: Any) -> None:
    council = assembly(60)
    vote = vote_record(
        item=council.item,
        subject="Nghị quyết về giá đất",
        majority=Majority.ORDINARY,
        held_on=dt.date(2023, 12, 8),
        votes_for=30,
        votes_against=2,
        abstentions=1,
    )
    # 30 of the 33 voting, but not more than half of the 60 delegates.
    assert vote.passed is False
    assert vote.not_voting == 27


@pytest.mark.parametrize(
    "count,total,expected",
    [
        (19, 47, "19 (40,43%)"),
        (25, 47, "25 (53,19%)"),
        (2, 47, "2 (4,26%)"),
        (1, 32, "1 (3,13%)"),  # 3,125 rounds half up
        (31, 60, "31 (51,67%)"),
        (47, 47, "47 (100,00%)"),
        (0, 60, "0 (0,00%)"),
        (0, 0, "0 (—)"),
    ],
)
def test_percentages_have_two_decimals_and_a_comma(count: int, total: int, expected: str) -> None:
    assert share(count, total) == expected


def test_a_vote_shows_each_part_as_a_share_of_all_delegates(db: Any) -> None:
    council = assembly(47)
    vote = vote_record(
        item=council.item,
        subject="Nghị quyết phê chuẩn quyết toán",
        majority=Majority.ORDINARY,
        held_on=dt.date(2023, 12, 8),
        votes_for=19,
        votes_against=25,
        abstentions=2,
    )
    vote.refresh_from_db()
    assert vote.shares() == {
        "for": "19 (40,43%)",
        "against": "25 (53,19%)",
        "abstain": "2 (4,26%)",
        "not_voting": "1 (2,13%)",
    }
    assert vote.passed is False


def test_a_vote_cannot_count_more_than_the_delegates_of_that_day(db: Any) -> None:
    council = assembly(5)
    leaver = council.delegates[0]
    leaver.end_date = dt.date(2023, 12, 7)
    leaver.end_reason = "Chuyển công tác"
    leaver.save()
    # On 08/12 only 4 delegates are in office: 3 + 1 + 1 is one too many.
    with pytest.raises(ValidationError) as refused:
        vote_record(
            item=council.item,
            subject="Quá số đại biểu",
            majority=Majority.ORDINARY,
            held_on=dt.date(2023, 12, 8),
            votes_for=3,
            votes_against=1,
            abstentions=1,
        )
    assert "5" in refused.value.messages[0] and "4" in refused.value.messages[0]
    assert not Vote.objects.filter(subject="Quá số đại biểu").exists()
    # The same tally the day before, when all 5 were in office, is accepted.
    vote = vote_record(
        item=council.item,
        subject="Đủ số đại biểu",
        majority=Majority.ORDINARY,
        held_on=dt.date(2023, 12, 7),
        votes_for=3,
        votes_against=1,
        abstentions=1,
    )
    assert vote.total_delegates == 5 == council.council.delegate_count(dt.date(2023, 12, 7))


def test_the_database_refuses_a_vote_whose_parts_exceed_the_total(db: Any) -> None:
    council = assembly(3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            item=council.item,
            subject="Sai số liệu",
            held_on=dt.date(2023, 12, 8),
            total_delegates=3,
            votes_for=2,
            votes_against=1,
            abstentions=1,
        )
    assert not Vote.objects.filter(subject="Sai số liệu").exists()


def test_the_stored_total_is_the_register_count_on_the_day_held(db: Any) -> None:
    council = assembly(6)
    late_comer = f.DelegateFactory(
        term=council.term, full_name="Đại biểu bầu bổ sung", start_date=dt.date(2024, 7, 1)
    )
    assert late_comer.pk
    december = vote_record(
        item=council.item,
        subject="Kỳ họp tháng 12",
        majority=Majority.ORDINARY,
        held_on=dt.date(2023, 12, 8),
        votes_for=4,
    )
    july = vote_record(
        item=council.item,
        subject="Kỳ họp tháng 7",
        majority=Majority.ORDINARY,
        held_on=dt.date(2024, 7, 10),
        votes_for=4,
    )
    assert december.total_delegates == council.council.delegate_count(dt.date(2023, 12, 8)) == 6
    assert july.total_delegates == council.council.delegate_count(dt.date(2024, 7, 10)) == 7
    # 4 of 6 passes; 4 of 7 passes too; the stored totals, not today's register, decide.
    assert december.passed and july.passed


def test_a_roll_call_tally_is_the_sum_of_the_ballots(db: Any) -> None:
    council = assembly(7)
    d = [x.pk for x in council.delegates]
    choices = ["for", "for", "for", "against", "abstain", "not_voting", "for"]
    vote = vote_record(
        item=council.item,
        subject="Biểu quyết điểm danh",
        majority=Majority.ORDINARY,
        held_on=dt.date(2023, 12, 8),
        votes_for=0,  # ignored: the ballots decide
        ballots=dict(zip(d, choices, strict=True)),
    )
    vote.refresh_from_db()
    assert vote.is_roll_call
    ballots = list(Ballot.objects.filter(vote=vote).values_list("choice", flat=True))
    assert len(ballots) == 7
    assert vote.votes_for == ballots.count("for") == 4
    assert vote.votes_against == ballots.count("against") == 1
    assert vote.abstentions == ballots.count("abstain") == 1
    assert vote.not_voting == ballots.count("not_voting") == 1
    assert vote.passed  # 4 × 2 > 7
    # Recording it again with other ballots replaces them; the tally follows.
    vote = vote_record(
        item=council.item,
        subject="Biểu quyết điểm danh",
        majority=Majority.ORDINARY,
        held_on=dt.date(2023, 12, 8),
        ballots=dict(zip(d, ["against"] * 4 + ["for"] * 3, strict=True)),
        vote=vote,
    )
    assert Ballot.objects.filter(vote=vote).count() == 7
    assert (vote.votes_for, vote.votes_against) == (3, 4)
    assert not vote.passed


def test_the_vote_form_redisplays_a_tally_above_the_total_and_saves_nothing(
    db: Any, client: Any
) -> None:
    council = assembly(5)
    clerk = f.UserFactory(username="clerk-hy")
    f.RoleFactory(user=clerk, council=council.council, role="clerk")
    client.force_login(clerk)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("sessions:vote-create", args=[council.item.pk]),
        {
            "subject": "Nghị quyết quá số",
            "majority": "vote.ordinary",
            "held_on": "08/12/2023",
            "votes_for": "4",
            "votes_against": "2",
            "abstentions": "0",
        },
    )
    assert response.status_code == 200
    assert "more than the 5 delegates of the council on 08/12/2023" in response.content.decode()
    assert not Vote.objects.filter(item=council.item).exists()
    response = client.post(
        reverse("sessions:vote-create", args=[council.item.pk]),
        {
            "subject": "Nghị quyết đúng số",
            "majority": "vote.ordinary",
            "held_on": "08/12/2023",
            "votes_for": "3",
            "votes_against": "2",
            "abstentions": "0",
        },
    )
    vote = Vote.objects.get(item=council.item)
    assert response.status_code == 302 and response.url == vote.get_absolute_url()
    assert (vote.total_delegates, vote.votes_for, vote.passed) == (5, 3, True)


@pytest.mark.parametrize(
    "size,enough,short",
    [(60, 20, 19), (47, 16, 15), (30, 10, 9)],
)
def test_an_extraordinary_session_request_needs_one_third_of_all_delegates(
    db: Any, size: int, enough: int, short: int
) -> None:
    council = assembly(size)

    def request(count: int) -> Session:
        return Session(
            council=council.council,
            term=council.term,
            ordinal=20,
            kind="extraordinary",
            planned_start=dt.date(2024, 3, 1),
            planned_end=dt.date(2024, 3, 1),
            requested_by="delegates",
            request_date=dt.date(2024, 2, 10),
            requesting_delegates=count,
        )

    assert request(enough).request_reaches_threshold() is True
    assert request(short).request_reaches_threshold() is False
    assert enough * 3 >= size > short * 3


def test_only_a_request_by_delegates_is_measured_against_one_third(db: Any) -> None:
    council = assembly(9)
    session = council.session
    session.requested_by = "standing"
    session.requesting_delegates = 1
    assert session.request_reaches_threshold() is None
    session.requested_by = "delegates"
    session.requesting_delegates = None
    assert session.request_reaches_threshold() is None
