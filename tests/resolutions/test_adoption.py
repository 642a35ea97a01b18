"""From submission to resolution: the workflow and adoption from a passed vote only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from resolutions.models import Kind, SubmissionStatus, VerificationReport
from resolutions.services import (
    submission_adopt,
    submission_close,
    submission_put_on_agenda,
    submission_start_verification,
    verification_report_add,
)

from .conftest import submission_on_agenda


def test_the_workflow_from_receipt_to_adoption(hy: Any) -> None:
    sub = submission_on_agenda(
        hy, status=SubmissionStatus.RECEIVED, agenda_item=None, kind=Kind.NORMATIVE
    )
    submission_start_verification(submission=sub, organ=hy.committee, due=dt.date(2023, 12, 1))
    assert sub.status == SubmissionStatus.VERIFYING
    verification_report_add(
        submission=sub,
        report=VerificationReport(
            organ=hy.committee, reported_on=dt.date(2023, 11, 30), conclusion="agree"
        ),
    )
    assert sub.status == SubmissionStatus.VERIFIED
    submission_put_on_agenda(submission=sub, item=hy.item)
    resolution = submission_adopt(submission=sub, vote=hy.passed)
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.ADOPTED and sub.vote == hy.passed
    assert resolution.symbol == "01/2023/NQ-HĐND"
    assert resolution.session == hy.session and resolution.agenda_item == hy.item
    assert resolution.adopted_on == hy.passed.held_on
    assert resolution.effective_from == hy.passed.held_on + dt.timedelta(days=10)
    assert resolution.title.startswith("Dự toán ngân sách")


def test_an_unpassed_vote_cannot_adopt(hy: Any) -> None:
    sub = submission_on_agenda(hy)
    with pytest.raises(ValidationError) as exc:
        submission_adopt(submission=sub, vote=hy.failed)
    assert "30" in str(exc.value)
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.ON_AGENDA
    assert not hasattr(sub, "resolution") or sub.resolution is None


def test_a_vote_of_another_item_cannot_adopt(hy: Any) -> None:
    from sessions.models import AgendaItem, Vote

    other = AgendaItem.objects.create(session=hy.session, position=2, kind="submission", title="X")
    vote = Vote.objects.create(
        item=other, subject="X", held_on=hy.passed.held_on, total_delegates=60, votes_for=50
    )
    with pytest.raises(ValidationError):
        submission_adopt(submission=submission_on_agenda(hy), vote=vote)


def test_reject_and_withdraw(hy: Any) -> None:
    sub = submission_on_agenda(hy, vote=hy.failed)
    submission_close(submission=sub, status=SubmissionStatus.REJECTED, note="Không đạt")
    assert sub.status == SubmissionStatus.REJECTED
    with pytest.raises(ValidationError):
        submission_close(submission=sub, status=SubmissionStatus.WITHDRAWN)
    with pytest.raises(ValidationError):
        submission_adopt(submission=sub, vote=hy.passed)


def test_an_agenda_item_with_a_submission_cannot_be_deleted_and_says_why(
    hy: Any, client: Any
) -> None:
    from django.urls import reverse

    from sessions.models import AgendaItem

    from .. import factories as f

    submission_on_agenda(hy)
    user = f.UserFactory(username="c")
    f.RoleFactory(user=user, council=hy.council, role="clerk")
    client.force_login(user)
    response = client.post(reverse("sessions:item-delete", args=[hy.item.pk]), follow=True)
    assert response.status_code == 200
    assert AgendaItem.objects.filter(pk=hy.item.pk).exists()


def test_deleting_a_resolution_restores_the_status_of_what_it_replaced(
    hy: Any, client: Any
) -> None:
    import datetime as dt

    from django.urls import reverse

    from resolutions.models import LegalStatus, Resolution
    from resolutions.services import relation_add

    from .. import factories as f
    from .conftest import make_resolution

    old = make_resolution(hy.council, adopted_on=dt.date(2021, 1, 4))
    new = make_resolution(hy.council, adopted_on=dt.date(2022, 1, 4))
    relation_add(source=new, target=old, kind="replaces")
    day = dt.date(2023, 1, 1)
    assert Resolution.objects.with_status(LegalStatus.FULLY_LAPSED, day).filter(pk=old.pk)
    user = f.UserFactory(username="c")
    f.RoleFactory(user=user, council=hy.council, role="clerk")
    client.force_login(user)
    response = client.post(reverse("resolutions:resolution-delete", args=[new.pk]))
    assert response.status_code == 302
    assert Resolution.objects.with_status(LegalStatus.IN_FORCE, day).filter(pk=old.pk)
