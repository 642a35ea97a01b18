"""A repeat link never ties a denunciation to a petition that names its petitioner: a named
complaint listing "Repeated by: … Tố cáo…" (or a denunciation pointing to a named complaint)
would tell every clerk and leader who denounced (Law on Denunciations 2018, art. 47).

Decision: such a link is refused at intake (form and service), the handler's duplicate hint
offers only petitions of the same confidentiality, and the links made before this rule are
undone by a data migration that recounts the series."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from petitions.models import Petition
from petitions.services import ItemData, PersonData, duplicate_candidates, petition_receive

from .conftest import SECRET_ID, SECRET_NAME, Desk
from .test_intake_and_lists import _form


def _denunciation_form(desk: Desk, **extra: Any) -> dict[str, Any]:
    data = _form(
        desk.world,
        subject="Tố cáo cán bộ địa chính xã",
        **{
            "items-0-kind": "denunciation",
            "items-0-content": "Cán bộ địa chính xã nhận tiền khi đo đạc.",
            "people-0-full_name": "Lê Văn Công Khai",
            "people-0-phone": "0911 000 111",
        },
        **extra,
    )
    for key in ("items-1-kind", "items-1-field", "items-1-content"):
        data.pop(key)
    return data


def test_the_handler_is_not_offered_a_named_petition_for_a_denunciation(
    desk: Desk, login: Any
) -> None:
    client = login(desk.world.users["handler"])
    response = client.post(reverse("petitions:petition-create"), _denunciation_form(desk))
    assert response.status_code == 302  # nothing offered: saved as a new petition
    assert not Petition.objects.filter(duplicate_of__isnull=False).exists()
    # The same person's earlier denunciation is still offered to the handler.
    people = [PersonData(full_name=SECRET_NAME, id_number=SECRET_ID)]
    offered = duplicate_candidates(
        council=desk.world.province,
        people=people,
        subject="x",
        confidential=True,
        by=desk.world.users["handler"],
    )
    assert offered == [desk.denunciation]
    # And a complaint by the complainant is offered the complaint, never the other way round.
    named = duplicate_candidates(
        council=desk.world.province,
        people=[PersonData(full_name="Lê Văn Công Khai")],
        subject="x",
        confidential=False,
        by=desk.world.users["handler"],
    )
    assert desk.complaint in named
    assert all(not p.is_confidential for p in named)


def test_a_denunciation_cannot_be_linked_to_a_named_complaint(desk: Desk, login: Any) -> None:
    client = login(desk.world.users["handler"])
    response = client.post(
        reverse("petitions:petition-create"),
        _denunciation_form(desk, duplicate_of=desk.complaint.pk),
    )
    assert response.status_code == 200
    assert "Đơn tố cáo chỉ có thể là đơn lặp lại của một đơn tố cáo" in response.content.decode()
    assert not Petition.objects.filter(duplicate_of=desk.complaint).exists()
    desk.complaint.refresh_from_db()
    assert desk.complaint.repeat_count == 1


def test_a_named_complaint_cannot_repeat_a_denunciation(desk: Desk) -> None:
    with pytest.raises(ValidationError):
        petition_receive(
            council=desk.world.province,
            channel="post",
            received_on=dt.date(2023, 3, 1),
            subject="Khiếu nại lần hai",
            items=[ItemData(kind="complaint", field="land", content="a")],
            people=[PersonData(full_name="Lê Văn Công Khai")],
            duplicate_of=desk.denunciation,
            by=None,
        )
    desk.denunciation.refresh_from_db()
    assert desk.denunciation.repeat_count == 1


def test_links_made_before_the_rule_are_undone_and_counts_recomputed(
    desk: Desk, login: Any
) -> None:
    import importlib

    from django.apps import apps

    repeat = petition_receive(
        council=desk.world.province,
        channel="post",
        received_on=dt.date(2023, 3, 1),
        subject="Khiếu nại lần hai",
        items=[ItemData(kind="complaint", field="land", content="a")],
        people=[PersonData(full_name="Lê Văn Công Khai")],
        duplicate_of=desk.complaint,
        by=None,
    )
    Petition.objects.filter(pk=desk.denunciation.pk).update(duplicate_of=desk.complaint)
    Petition.objects.filter(pk=desk.complaint.pk).update(repeat_count=3)
    migration = importlib.import_module(
        "petitions.migrations.0007_undo_repeat_links_across_confidentiality"
    )
    migration.undo(apps, None)
    desk.denunciation.refresh_from_db()
    desk.complaint.refresh_from_db()
    assert desk.denunciation.duplicate_of is None
    assert desk.complaint.repeat_count == 2
    assert Petition.objects.get(pk=repeat.pk).duplicate_of == desk.complaint
    body = (
        login(desk.world.users["leader"])
        .get(reverse("petitions:petition-detail", args=[desk.complaint.pk]))
        .content.decode()
    )
    assert "Tố cáo chủ tịch xã" not in body
