"""Bugs the hostile-input hunt found, one test each, named after the bug."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from councilportal.models import Attachment


def test_an_attachment_whose_file_is_gone_is_a_404_not_a_500(
    hostile_world: Any, login: Any
) -> None:
    attachment = hostile_world.own_objects[Attachment]  # its file was never stored
    client = login(hostile_world.users["commune_clerk"])
    response = client.get(reverse("core:attachment-download", kwargs={"pk": attachment.pk}))
    assert response.status_code == 404


def _confidence_page(world: Any, login: Any) -> tuple[Any, str, dict[str, list[str]]]:
    from sessions.models import Session

    from .htmlforms import post_forms

    session = world.own_objects[Session]
    client = login(world.users["commune_clerk"])
    url = reverse("sessions:confidence-edit", kwargs={"pk": session.pk})
    page = client.get(url)
    form = next(f for f in post_forms(page.content.decode(), url) if f.action in ("", url))
    data = {name: list(field.values) for name, field in form.fields.items()}
    return client, url, data


def test_a_refused_confidence_vote_keeps_the_ratings_it_would_have_deleted(
    hostile_world: Any, login: Any
) -> None:
    from sessions.models import ConfidenceRating, ConfidenceVote

    vote = hostile_world.own_objects[ConfidenceVote]
    vote.total_delegates = vote.ballots_issued = vote.ballots_collected = 10
    vote.save()
    kept = ConfidenceRating.objects.create(
        confidence_vote=vote, official_name="Lê Văn Còn", post="Chủ tịch UBND", high=5
    )
    client, url, data = _confidence_page(hostile_world, login)
    data["r-0-DELETE"] = ["on"]  # the stored rating, struck out…
    # …and a new one whose tallies exceed the ballots: the service refuses the whole vote.
    data.update({"r-1-official_name": ["Trần Thị Mới"], "r-1-post": ["Phó Chủ tịch"]})
    data.update({"r-1-high": ["9"], "r-1-trust": ["9"], "r-1-low": ["9"]})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ballots collected" in response.content.decode() or response.context["form"].errors
    assert ConfidenceRating.objects.filter(pk=kept.pk).exists()


def test_a_confidence_vote_with_thousands_of_made_up_rows_is_refused_at_once(
    hostile_world: Any, login: Any
) -> None:
    client, url, data = _confidence_page(hostile_world, login)
    data["r-TOTAL_FORMS"] = ["100000"]
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()


def test_an_id_beyond_64_bits_in_a_multiple_choice_is_an_invalid_choice_not_a_500(
    hostile_world: Any, login: Any
) -> None:
    """SQLite (the embedded defaults) cannot compare such an integer: the recommendation's
    voter meetings, a meeting's councils and a council's predecessors refuse it as invalid."""
    from councilportal.models import Council
    from petitions.models import VoterRecommendation
    from sessions.models import Meeting

    from .htmlforms import post_forms

    huge = "-52738695342491779002668154880"
    pages = [
        ("petitions:recommendation-update", VoterRecommendation, "meetings", "handler"),
        ("sessions:meeting-update", Meeting, "participant_councils", "commune_clerk"),
        ("core:council-update", Council, "predecessors", "commune_clerk"),
    ]
    for name, model, field, persona in pages:
        client = login(hostile_world.users[persona])
        url = reverse(name, kwargs={"pk": hostile_world.own_objects[model].pk})
        page = client.get(url)
        assert page.status_code == 200, (name, page.status_code)
        form = next(f for f in post_forms(page.content.decode(), url) if f.action in ("", url))
        data = {key: list(value.values) for key, value in form.fields.items()}
        data[field] = [huge]
        response = client.post(url, data)
        assert response.status_code == 200, (name, response.status_code)
        assert field in response.context["form"].errors, name
