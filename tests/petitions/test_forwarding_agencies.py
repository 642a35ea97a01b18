"""Forwarding offers the active agencies of the petition's council, of the councils below and
above it and of those it was merged into, among those the user may see: a denunciation of a
commune official can go to that commune's People's Committee."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.messages import get_messages
from django.urls import reverse

from councilportal.models import Agency
from petitions.forms import ForwardForm
from petitions.models import Outcome, PetitionItem

from .. import factories as f
from .conftest import Desk


def test_forwarding_offers_the_agencies_of_the_council_and_the_councils_around_it(
    desk: Desk, login: Any
) -> None:
    world = desk.world
    commune_committee = f.AgencyFactory(council=world.commune, name="UBND xã Cây Đa")
    foreign = Agency.objects.get(name="Cơ quan F-C")
    inactive = f.AgencyFactory(council=world.commune, name="Cơ quan đã giải thể", is_active=False)
    clerk = world.users["province_clerk"]
    offered = set(ForwardForm(council=world.province, user=clerk).fields["agency"].queryset)
    assert {desk.agency, commune_committee} <= offered
    assert foreign not in offered and inactive not in offered
    # A commune's petition: the province's agencies too (a denunciation of the commune's
    # chairman goes above it), for a user who sees them; a commune clerk sees only its own.
    offered_up = set(ForwardForm(council=world.commune, user=clerk).fields["agency"].queryset)
    assert {desk.agency, commune_committee} <= offered_up
    commune_clerk = world.users["commune_clerk"]
    own = set(ForwardForm(council=world.commune, user=commune_clerk).fields["agency"].queryset)
    assert commune_committee in own and desk.agency not in own

    client = login(clerk)
    item = desk.denunciation.items.get()
    page = client.get(reverse("petitions:petition-detail", args=[desk.denunciation.pk]))
    assert "UBND xã Cây Đa" in page.content.decode()
    refused = client.post(
        reverse("petitions:item-action", args=[item.pk]),
        {"action": "forward", "agency": foreign.pk, "on": "18/01/2023"},
    )
    assert refused.status_code == 302
    assert any("Cơ quan" in str(m) for m in get_messages(refused.wsgi_request))
    item.refresh_from_db()
    assert item.outcome == Outcome.PENDING
    done = client.post(
        reverse("petitions:item-action", args=[item.pk]),
        {"action": "forward", "agency": commune_committee.pk, "on": "18/01/2023"},
    )
    assert done.status_code == 302
    item = PetitionItem.objects.select_related("slip").get(pk=item.pk)
    assert item.outcome == Outcome.FORWARD and item.agency == commune_committee
    assert item.slip.council == world.province  # numbered by the forwarding council


def test_the_service_refuses_an_agency_outside_the_councils_line(desk: Desk) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    from petitions.services import item_forward

    foreign = Agency.objects.get(name="Cơ quan F-C")
    item = desk.complaint.items.get()
    with pytest.raises(ValidationError):
        item_forward(
            item=item, agency=foreign, on=dt.date(2023, 2, 7), by=desk.world.users["handler"]
        )


def test_forwarding_and_reminding_print_their_numbered_letters_at_once(
    desk: Desk, login: Any
) -> None:
    from councilportal.models import GeneratedDocument
    from petitions.documents import FORWARDING_SLIP, REMINDER_LETTER

    clerk = desk.world.users["province_clerk"]
    client = login(clerk)
    item = desk.complaint.items.get()
    url = reverse("petitions:item-action", args=[item.pk])
    client.post(url, {"action": "forward", "agency": desk.agency.pk, "on": "07/02/2023"})
    item = PetitionItem.objects.select_related("slip", "follow_up").get(pk=item.pk)
    slip = GeneratedDocument.objects.get(kind=FORWARDING_SLIP.key, source_id=item.slip.pk)
    assert slip.requested_by == clerk  # queued by the forwarding itself, no second click
    assert item.follow_up is not None
    late = item.follow_up.due_date + dt.timedelta(days=1)
    client.post(url, {"action": "remind", "on": late.strftime("%d/%m/%Y")})
    letter = item.reminders.get()
    reminder = GeneratedDocument.objects.get(kind=REMINDER_LETTER.key, source_id=letter.pk)
    assert reminder.requested_by == clerk
