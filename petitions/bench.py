"""Petitions and voters' recommendations of the national bench (bench/national.py): about
2,000,000 petitions (one item each) and 500,000 recommendations over ten years."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from councilportal.web.text import search_normalise

from .models import (
    Field,
    ItemKind,
    Outcome,
    Petition,
    PetitionItem,
    RecommendationOutcome,
    VoterRecommendation,
)

SUBJECTS = [
    "Đề nghị giải quyết bồi thường khi thu hồi đất",
    "Khiếu nại quyết định xử phạt vi phạm hành chính",
    "Tố cáo cán bộ địa chính nhận tiền",
    "Phản ánh ô nhiễm môi trường do cơ sở chăn nuôi",
    "Kiến nghị sửa chữa đường giao thông nông thôn",
]
KINDS = [ItemKind.COMPLAINT, ItemKind.DENUNCIATION, ItemKind.RECOMMENDATION, ItemKind.REFLECTION]
OUTCOMES = [Outcome.FORWARD, Outcome.FORWARD, Outcome.GUIDE, Outcome.ARCHIVE, Outcome.PENDING]
FIELDS = [value for value, _label in Field.choices]


def register(generator: Callable[..., Any], bulk: Callable[..., int], rng: Any) -> None:
    @generator("petitions")
    def make_petitions(every: list[Any], scale: float) -> int:
        if Petition.objects.filter(council__code__startswith="N").exists():
            return 0
        from councilportal.models import Agency

        bulk(
            Agency,
            (
                Agency(council=c, name=f"UBND {c.unit_name}", kind="peoples_committee")
                for c in every
            ),
        )
        agencies = dict(Agency.objects.filter(council__in=every).values_list("council_id", "pk"))
        per_council = max(1, round(2_000_000 * scale / len(every)))
        made = 0
        for start in range(0, len(every), 50):
            chunk = every[start : start + 50]
            petitions = []
            for council in chunk:
                numbers: dict[int, int] = {}
                for _ in range(per_council):
                    year = rng.randrange(2016, 2026)
                    numbers[year] = numbers.get(year, 0) + 1
                    subject = rng.choice(SUBJECTS)
                    petitions.append(
                        Petition(
                            council=council,
                            number=numbers[year],
                            year=year,
                            channel="post",
                            received_on=dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                            subject=subject,
                            search_text=search_normalise(subject),
                        )
                    )
            made += bulk(Petition, petitions)
            bulk(PetitionItem, items_of(petitions, agencies))
        return made

    def items_of(petitions: list[Petition], agencies: dict[int, int]) -> Iterable[PetitionItem]:
        for petition in petitions:
            outcome = rng.choice(OUTCOMES)
            triaged = None if outcome == Outcome.PENDING else petition.received_on
            yield PetitionItem(
                petition_id=petition.pk,
                petition_council_id=petition.council_id,
                petition_received_on=petition.received_on,
                kind=rng.choice(KINDS),
                field=rng.choice(FIELDS),
                content=petition.subject,
                triage_due=petition.received_on + dt.timedelta(days=14),
                outcome=outcome,
                triaged_on=triaged,
                agency_id=agencies[petition.council_id] if outcome == Outcome.FORWARD else None,
                archive_reason="ineligible" if outcome == Outcome.ARCHIVE else "",
            )

    @generator("voter recommendations")
    def make_recommendations(every: list[Any], scale: float) -> int:
        from django.contrib.contenttypes.models import ContentType

        from councilportal.models import Agency, FollowUp, FollowUpAnswer, FollowUpStatus
        from sessions.models import Session

        from .services import OUTCOME_STATUS

        if VoterRecommendation.objects.filter(council__code__startswith="N").exists():
            return 0
        sessions: dict[int, list[int]] = {}
        for pk, council_id in Session.objects.filter(council__in=every).values_list(
            "pk", "council_id"
        ):
            sessions.setdefault(council_id, []).append(pk)
        per_council = max(1, round(500_000 * scale / len(every)))

        agencies = dict(Agency.objects.filter(council__in=every).values_list("council_id", "pk"))
        owner = ContentType.objects.get_for_model(VoterRecommendation)
        forwarded_on, answered_on = dt.date(2020, 1, 1), dt.date(2020, 2, 1)
        made = 0
        for council in every:
            recs, follow_ups, answers = [], [], []
            for _ in range(per_council):
                forwarded = rng.random() < 0.8 and council.pk in agencies
                answered = forwarded and rng.random() < 0.6
                content = rng.choice(SUBJECTS)
                outcome = (
                    rng.choice(["resolved", "in_progress", "explained", "open"])
                    if answered
                    else "open"
                )
                rec = VoterRecommendation(
                    council=council,
                    session_id=rng.choice(sessions[council.pk]),
                    content=content,
                    field=rng.choice(FIELDS),
                    agency_id=agencies.get(council.pk) if forwarded else None,
                    outcome=outcome,
                    search_text=search_normalise(content),
                )
                recs.append(rec)
                if forwarded:
                    status = OUTCOME_STATUS[RecommendationOutcome(outcome)]
                    done = status == FollowUpStatus.DONE
                    follow_up = FollowUp(
                        council=council,
                        source_type=owner,
                        source_id=0,  # the recommendation's id, once it has one
                        content=content,
                        to_agency_id=agencies[council.pk],
                        sent_on=forwarded_on,
                        due_date=dt.date(2020, 6, 30),
                        status=status,
                        progress=100 if done else 0,
                        closed_on=answered_on if done else None,
                    )
                    follow_ups.append((rec, follow_up))
                    if answered:
                        answers.append(
                            FollowUpAnswer(
                                follow_up=follow_up,
                                received_on=answered_on,
                                content="UBND đã trả lời.",
                                reference="125/UBND",
                            )
                        )
            made += bulk(VoterRecommendation, recs)
            for rec, follow_up in follow_ups:
                follow_up.source_id = rec.pk
            bulk(FollowUp, (f for _rec, f in follow_ups))
            for rec, follow_up in follow_ups:
                rec.follow_up_id = follow_up.pk
            VoterRecommendation.objects.bulk_update([r for r, _f in follow_ups], ["follow_up"])
            for answer in answers:
                answer.follow_up_id = answer.follow_up.pk
            bulk(FollowUpAnswer, answers)
        return made
