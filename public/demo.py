"""The public portal's part of the demo (seed_demo, after every other app): the records a clerk
would have published by now — the issued supervision conclusions, the answers to voters'
recommendations received, the files of the resolutions. Idempotent: only flags are set."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType

from councilportal.models import Attachment, Council
from petitions.models import VoterRecommendation
from resolutions.models import Resolution
from supervision.models import Activity


def seed(out: Callable[[str], None], councils: dict[str, Council]) -> None:
    ids = [c.pk for c in councils.values()]
    concluded = (
        Activity.objects.filter(council__in=ids, status="concluded")
        .exclude(conclusion="")
        .update(published=True)
    )
    with_answer = (
        VoterRecommendation.objects.filter(council__in=ids, follow_up__answers__isnull=False)
        .exclude(follow_up__answers__content="")
        .values("pk")
    )
    answered = VoterRecommendation.objects.filter(pk__in=with_answer).update(answer_published=True)
    files = Attachment.objects.filter(
        council__in=ids,
        owner_type=ContentType.objects.get_for_model(Resolution),
        encrypted=False,
    ).update(published=True)
    out(
        f"  public portal: {concluded} conclusions, {answered} answers to voters and "
        f"{files} resolution files published"
    )
