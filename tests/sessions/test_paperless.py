"""The paperless session (issue 19): electronic votes cast on delegates' devices, read
receipts, speaking registrations and the hall's screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sessions import services
from sessions.models import (
    Attendance,
    DocumentRead,
    ElectronicBallot,
    ElectronicVote,
    ItemKind,
    Majority,
    Presence,
    SpeakingRequest,
)

from .. import factories as f
from .paperless import hall


def _open(h: Any, majority: str = Majority.ORDINARY) -> ElectronicVote:
    return services.evote_open(
        item=h.item, question="Thông qua dự thảo", majority=majority, by=None
    )


def test_a_vote_cast_twice_counts_once_with_the_last_choice(db: Any, client: Any) -> None:
    h = hall(5)
    evote = _open(h)
    client.force_login(h.delegates[0].user)
    url = reverse("sessions:ballot", args=[evote.pk])
    assert client.post(url, {"choice": "for"}).status_code == 302
    assert client.post(url, {"choice": "against"}).status_code == 302
    services.evote_cast(evote=evote, delegate=h.delegates[0], choice="against")
    assert ElectronicBallot.objects.filter(evote=evote).count() == 1
    assert ElectronicBallot.objects.get(evote=evote).choice == "against"
    vote = services.evote_close(evote=evote, by=h.clerk)
    assert (vote.votes_for, vote.votes_against, vote.abstentions) == (0, 1, 0)
    assert vote.ballots.count() == 5  # every delegate in the roll call, four "not voting"
    assert vote.is_roll_call


def test_a_vote_after_closing_is_refused(db: Any, client: Any) -> None:
    h = hall(3)
    evote = _open(h)
    services.evote_cast(evote=evote, delegate=h.delegates[0], choice="for")
    services.evote_close(evote=evote, by=h.clerk)
    with pytest.raises(ValidationError):
        services.evote_cast(evote=evote, delegate=h.delegates[1], choice="for")
    client.force_login(h.delegates[0].user)
    response = client.post(reverse("sessions:ballot", args=[evote.pk]), {"choice": "against"})
    assert response.status_code == 409
    assert "đã kết thúc" in response.content.decode() or "closed" in response.content.decode()
    assert list(ElectronicBallot.objects.values_list("choice", flat=True)) == ["for"]
    evote.refresh_from_db()
    assert evote.result is not None and evote.result.votes_for == 1


def test_a_vote_past_its_time_limit_is_refused(db: Any) -> None:
    h = hall(3)
    evote = _open(h)
    ElectronicVote.objects.filter(pk=evote.pk).update(closes_at=evote.opened_at)
    with pytest.raises(ValidationError):
        services.evote_cast(evote=evote, delegate=h.delegates[0], choice="for")


def test_a_delegate_absent_that_day_is_refused(db: Any, client: Any) -> None:
    h = hall(3)
    Attendance.objects.create(
        sitting=h.sitting, delegate=h.delegates[1], presence=Presence.EXCUSED, reason="Ốm"
    )
    evote = _open(h)
    client.force_login(h.delegates[1].user)
    response = client.post(reverse("sessions:ballot", args=[evote.pk]), {"choice": "for"})
    assert response.status_code == 409
    assert not ElectronicBallot.objects.exists()
    with pytest.raises(ValidationError):
        services.evote_cast(evote=evote, delegate=h.delegates[1], choice="for")


def test_a_delegate_of_another_council_gets_404(db: Any, client: Any) -> None:
    h = hall(3)
    other = hall(3, code="HN")
    evote = _open(h)
    client.force_login(other.delegates[0].user)
    url = reverse("sessions:ballot", args=[evote.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"choice": "for"}).status_code == 404
    assert client.get(reverse("sessions:workspace", args=[h.session.pk])).status_code == 404
    with pytest.raises(ValidationError):  # nor through the service, for a foreign record
        services.evote_cast(evote=evote, delegate=other.delegates[0], choice="for")
    assert not ElectronicBallot.objects.exists()


def test_a_reader_who_is_not_a_delegate_cannot_vote(db: Any, client: Any) -> None:
    h = hall(3)
    evote = _open(h)
    client.force_login(h.clerk)
    response = client.post(reverse("sessions:ballot", args=[evote.pk]), {"choice": "for"})
    assert response.status_code == 403
    assert not ElectronicBallot.objects.exists()


@pytest.mark.parametrize(
    "size,majority,failing,passing",
    [
        (60, Majority.ORDINARY, 30, 31),
        (47, Majority.ORDINARY, 23, 24),
        (47, Majority.RECALL, 31, 32),
    ],
)
def test_the_result_is_the_rules_arithmetic_at_the_threshold(
    db: Any, size: int, majority: str, failing: int, passing: int
) -> None:
    h = hall(size, accounts=0)
    for count, expected in ((failing, False), (passing, True)):
        evote = _open(h, majority)
        for d in h.delegates[:count]:
            services.evote_cast(evote=evote, delegate=d, choice="for")
        services.evote_cast(evote=evote, delegate=h.delegates[-1], choice="abstain")
        vote = services.evote_close(evote=evote, by=None)
        assert vote.total_delegates == size
        assert vote.votes_for == count and vote.abstentions == 1
        assert vote.passed is expected, (size, majority, count)
        assert vote.shares()["for"] == services_share(count, size)


def services_share(count: int, total: int) -> str:
    from sessions.models import share

    return share(count, total)


def test_confidence_votes_are_never_electronic(db: Any) -> None:
    h = hall(3)
    h.item.kind = ItemKind.CONFIDENCE
    h.item.save()
    with pytest.raises(ValidationError):
        _open(h)


def test_one_open_vote_at_a_time_per_session(db: Any) -> None:
    h = hall(3)
    _open(h)
    with pytest.raises(ValidationError):
        _open(h)


def test_read_receipts_are_recorded_once_per_delegate_and_document(db: Any, client: Any) -> None:
    h = hall(3)
    doc = f.AttachmentFactory(council=h.council, owner=h.item, title="Dự thảo nghị quyết")
    client.force_login(h.delegates[0].user)
    url = reverse("sessions:document-read", args=[doc.pk])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    services.document_read(attachment=doc, delegate=h.delegates[0])
    assert DocumentRead.objects.filter(attachment=doc, delegate=h.delegates[0]).count() == 1
    client.force_login(h.delegates[1].user)
    client.get(url)
    assert DocumentRead.objects.filter(attachment=doc).count() == 2
    client.force_login(h.clerk)  # the secretariat reads the receipts; it leaves none
    client.get(url)
    page = client.get(reverse("sessions:read-receipts", args=[h.session.pk])).content.decode()
    assert DocumentRead.objects.filter(attachment=doc).count() == 2
    assert "2/3" in page and "Dự thảo nghị quyết" in page
    client.force_login(h.delegates[2].user)  # a delegate does not see the others' receipts
    assert client.get(reverse("sessions:read-receipts", args=[h.session.pk])).status_code == 403


def test_speakers_register_the_secretariat_orders_and_marks_them(db: Any, client: Any) -> None:
    h = hall(3)
    for d, topic in zip(h.delegates, ["Ngân sách", "Giáo dục", "Y tế"], strict=True):
        client.force_login(d.user)
        client.post(reverse("sessions:speak", args=[h.item.pk]), {"topic": topic})
    client.force_login(h.delegates[0].user)
    client.post(reverse("sessions:speak", args=[h.item.pk]), {"topic": "Lần hai"})
    queue = list(SpeakingRequest.objects.order_by("position").values_list("topic", flat=True))
    assert queue == ["Ngân sách", "Giáo dục", "Y tế"]
    client.force_login(h.delegates[1].user)
    mine = SpeakingRequest.objects.get(topic="Y tế")
    move = reverse("sessions:speaking-move", args=[mine.pk])
    assert client.post(move, {"up": "1"}).status_code == 403
    client.force_login(h.clerk)
    client.post(reverse("sessions:speaking-move", args=[mine.pk]), {"up": "1"})
    queue = list(SpeakingRequest.objects.order_by("position").values_list("topic", flat=True))
    assert queue == ["Ngân sách", "Y tế", "Giáo dục"]
    client.post(reverse("sessions:speaking-spoken", args=[mine.pk]), {"spoken": "1"})
    mine.refresh_from_db()
    assert mine.spoken_at is not None
    from sessions.documents import minutes_context
    from sessions.services import minutes_for

    items = minutes_context(minutes_for(h.session))["items"]
    assert [s.topic for s in items[0].speakers] == ["Y tế"]


def test_the_screen_shows_how_many_voted_not_how(db: Any, client: Any) -> None:
    h = hall(4)
    evote = _open(h)
    services.evote_cast(evote=evote, delegate=h.delegates[0], choice="against")
    services.evote_cast(evote=evote, delegate=h.delegates[1], choice="against")
    client.force_login(h.clerk)
    state = client.get(reverse("sessions:hall-screen-state", args=[h.session.pk])).content.decode()
    assert 'data-count="2"' in state
    assert "Không tán thành" not in state and "Against" not in state
    services.evote_close(evote=evote, by=h.clerk)
    state = client.get(reverse("sessions:hall-screen-state", args=[h.session.pk])).content.decode()
    assert "2 (50,00%)" in state


def test_a_vote_request_takes_few_queries(
    db: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    h = hall(5)
    evote = _open(h)
    client.force_login(h.delegates[0].user)
    url = reverse("sessions:ballot", args=[evote.pk])
    client.post(url, {"choice": "for"})
    # Session, user, roles, agency membership (the agency workspace's gate), the vote; the
    # delegate; the lock, who may vote, the ballot (and the test's savepoint): the benchmark's
    # 100 delegates in 10 s pay for each of them.
    with django_assert_max_num_queries(11):
        assert client.post(url, {"choice": "against"}).status_code == 302
    assert ElectronicBallot.objects.get(evote=evote).choice == "against"


def test_a_delegate_asks_a_question_and_says_whether_the_answer_satisfies(
    db: Any, client: Any
) -> None:
    from supervision.models import Question, Questioning

    h = hall(3)
    questioning = Questioning.objects.create(
        council=h.council,
        kind="session",
        session=h.session,
        held_on=h.session.planned_start,
        title="Chất vấn tại kỳ họp",
    )
    client.force_login(h.delegates[0].user)
    url = reverse("sessions:question-ask", args=[questioning.pk])
    response = client.post(
        url, {"respondent": "Giám đốc Sở Xây dựng", "content": "Tiến độ đường trục?"}
    )
    assert response.status_code == 302
    question = Question.objects.get(questioning=questioning)
    assert question.delegate == h.delegates[0] and question.mode == "written"
    satisfaction = reverse("sessions:question-satisfaction", args=[question.pk])
    client.post(satisfaction, {"satisfied": "yes"})  # not answered yet: nothing to judge
    question.refresh_from_db()
    assert question.satisfied == ""
    question.answer, question.answered_on = "Hoàn thành quý II.", h.session.planned_start
    question.save()
    client.force_login(h.delegates[1].user)  # only the asker judges the answer
    assert client.post(satisfaction, {"satisfied": "no"}).status_code == 403
    client.force_login(h.delegates[0].user)
    client.post(satisfaction, {"satisfied": "no"})
    question.refresh_from_db()
    assert question.satisfied == "no"
    assert "Hoàn thành quý II." in client.get(url).content.decode()


def test_a_delegates_record_as_a_page_and_a_pdf(db: Any, client: Any, eager_jobs: Any) -> None:
    import unicodedata

    from councilportal.documents.services import document_render, document_request
    from sessions.documents import DELEGATE_RECORD

    from ..pdftools import pdf_text

    h = hall(3)
    me = h.delegates[0]
    evote = _open(h)
    services.evote_cast(evote=evote, delegate=me, choice="for")
    services.evote_close(evote=evote, by=h.clerk)
    services.speaking_register(item=h.item, delegate=me, topic="Giải ngân vốn")
    Attendance.objects.create(
        sitting=f.SittingFactory(session=h.session, date=h.session.planned_end),
        delegate=me,
        presence=Presence.EXCUSED,
        reason="Đi công tác",
    )
    client.force_login(me.user)
    page = client.get(reverse("sessions:my-record")).content.decode()
    assert "Thông qua dự thảo" in page and "Đi công tác" in page and "Giải ngân vốn" in page
    client.force_login(h.delegates[1].user)  # another delegate of the council reads it too
    assert client.get(reverse("sessions:delegate-record", args=[me.pk])).status_code == 200
    assert not DELEGATE_RECORD.can_request(h.delegates[1].user, me)
    assert DELEGATE_RECORD.can_request(me.user, me) and DELEGATE_RECORD.can_request(h.clerk, me)
    document = document_request(kind=DELEGATE_RECORD.key, source=me, by=me.user)
    document_render(document_id=document.pk)
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        text = " ".join(unicodedata.normalize("NFC", pdf_text(handle.read())).split())
    assert me.full_name in text and "Thông qua dự thảo" in text and "Tán thành" in text
    assert "Đi công tác" in text
