"""The demo register: hundreds of resolutions with relations, idempotent, and every stored
status the same as the one computed from the relations."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.core.management import call_command
from django.db import models

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


def test_the_demo_tells_a_believable_story(db: Any) -> None:
    """14.20: resolutions adopted at sessions of their council (5–20 a session), submissions
    verified by the committee of their field, distinct submissions, issuers as the law says."""
    from django.db.models import Count

    from councilportal.models import OrganKind
    from resolutions.models import Field, Issuer, Kind, Submission, VerificationReport
    from sessions.models import Session

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    by_council = Resolution.objects.filter(issuer=Issuer.COUNCIL)
    assert not by_council.filter(session__isnull=True).exists()
    assert not by_council.exclude(session__council=models.F("council")).exists()
    per_session = dict(
        by_council.values("session").annotate(n=Count("pk")).values_list("session", "n")
    )
    assert per_session and all(5 <= n <= 20 for n in per_session.values()), per_session
    for council, year, n in (
        by_council.values("council", "year")
        .annotate(n=Count("pk"))
        .values_list("council", "year", "n")
    ):
        sessions = Session.objects.filter(council=council, resolutions__year=year).distinct()
        assert n <= 20 * sessions.count(), (council, year, n)
    standing = Resolution.objects.filter(issuer=Issuer.STANDING)
    assert standing.exists()
    assert not standing.filter(kind=Kind.NORMATIVE).exists()
    assert not standing.filter(field__in=[Field.BUDGET, Field.INVESTMENT]).exists()
    committee_of: dict[str, str] = {
        Field.BUDGET: OrganKind.ECONOMY_BUDGET,
        Field.INVESTMENT: OrganKind.ECONOMY_BUDGET,
        Field.EDUCATION: OrganKind.CULTURE_SOCIAL,
        Field.HEALTH: OrganKind.CULTURE_SOCIAL,
        Field.CULTURE: OrganKind.CULTURE_SOCIAL,
        Field.ORGANISATION: OrganKind.LEGAL,
        Field.LEGAL: OrganKind.LEGAL,
    }
    reports = VerificationReport.objects.select_related("submission", "organ")
    assert reports.exists()
    for report in reports:
        expected = committee_of.get(report.submission.field)
        if expected is not None:
            assert report.organ.kind == expected, (report.submission.title, report.organ)
    tuition = Submission.objects.filter(title__icontains="học phí")
    assert tuition.exists()
    assert all(
        s.verifying_organ is not None and s.verifying_organ.kind == OrganKind.CULTURE_SOCIAL
        for s in tuition
    )
    titles = list(Submission.objects.values_list("council", "title"))
    assert len(titles) == len(set(titles)), sorted(titles)
