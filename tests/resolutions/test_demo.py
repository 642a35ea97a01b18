"""The demo register: hundreds of resolutions with relations, idempotent, and every stored
status the same as the one computed from the relations."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.core.management import call_command

from resolutions.models import Resolution, ResolutionRelation, SubmissionStatus


def test_the_demo_register_is_realistic_idempotent_and_consistent(db: Any) -> None:
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    count = Resolution.objects.count()
    relations = ResolutionRelation.objects.count()
    assert count >= 300 and relations >= 50
    assert Resolution.objects.filter(submission__status=SubmissionStatus.ADOPTED).exists()
    assert Resolution.objects.values("council").distinct().count() >= 5
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Resolution.objects.count() == count
    assert ResolutionRelation.objects.count() == relations
    for day in (dt.date(2022, 6, 1), dt.date(2024, 6, 1), dt.date(2026, 11, 1)):
        sql = dict(Resolution.objects.with_status_on(day).values_list("pk", "status_code"))
        rows = Resolution.objects.prefetch_related(
            "relations_in", "relations_out__target__relations_in"
        )
        python = {r.pk: r.status_on(day) for r in rows}
        assert sql == python
