"""Due dates explain themselves to users with the rule's legal basis: it names the text and
carries no note meant for the developers ("chưa xác nhận")."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from django.apps import apps

from councilportal.models import Rule
from petitions.services import ItemData, PersonData, petition_receive

from .conftest import receive_denunciation


def test_due_date_explanations_carry_no_note_for_the_developers(world: Any) -> None:
    petition = receive_denunciation(world.province, dt.date(2023, 3, 1))
    complaint = petition_receive(
        council=world.province,
        channel="post",
        received_on=dt.date(2023, 3, 1),
        subject="Khiếu nại",
        items=[
            ItemData(kind="complaint", field="land", content="a"),
            ItemData(kind="recommendation", field="land", content="b"),
        ],
        people=[PersonData(full_name="Người khiếu nại")],
        by=None,
    )
    for item in [*petition.items.all(), *complaint.items.all()]:
        assert item.triage_explanation, item
        assert "chưa xác nhận" not in item.triage_explanation
        assert "hay ngày" not in item.triage_explanation
    for rule in Rule.objects.filter(key__startswith="petition."):
        assert "chưa xác nhận" not in rule.legal_basis, rule.key


def test_the_migration_cleans_the_notes_of_an_existing_database(world: Any) -> None:
    Rule.objects.filter(key="petition.triage").update(
        legal_basis="Thông tư 05/2021/TT-TTCP (ngày làm việc hay ngày: chưa xác nhận)"
    )
    Rule.objects.filter(key="petition.recommendation.answer").update(
        legal_basis="Luật Tiếp công dân 2013, Điều 28 (chưa xác nhận)"
    )
    migration = importlib.import_module("petitions.migrations.0005_rule_legal_basis_without_notes")
    migration.clean(apps, None)
    assert set(
        Rule.objects.filter(
            key__in=["petition.triage", "petition.recommendation.answer"]
        ).values_list("legal_basis", flat=True)
    ) == {"Thông tư 05/2021/TT-TTCP", "Luật Tiếp công dân 2013, Điều 28"}
