"""Two clerks take a number of the same series at the same moment — real concurrent
transactions, each thread with its own PostgreSQL connection, both inside their transaction
before either takes its number: both get one, no duplicates, nobody gets an error."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction

from councilportal.documents.services import document_request
from councilportal.models import GeneratedDocument
from petitions.models import ForwardingSlip, Petition
from petitions.services import item_forward
from resolutions.models import NumberCounter, Resolution
from sessions.models import AgendaItem
from sessions.services import item_add

from .. import factories as f
from ..petitions.conftest import receive_denunciation
from ..resolutions.conftest import council_world, make_resolution
from .processes import RedisServer, term_with_delegates

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def race(work: Callable[[int], Any], clerks: int = 2, hold: float = 0.3) -> list[Any]:
    """Run work(n) for each clerk in its own thread and transaction, all starting together;
    each holds its transaction open a moment after its write so that the others must wait
    for its lock, not read around it. Returns the results; fails on any error."""
    barrier = threading.Barrier(clerks)
    results: list[Any] = []
    errors: list[BaseException] = []

    def clerk(n: int) -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                results.append(work(n))
                threading.Event().wait(hold)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert len(results) == clerks
    return results


def test_two_clerks_adopting_at_once_get_different_resolution_numbers() -> None:
    world = council_world()
    NumberCounter.objects.create(
        council=world.council, issuer="council", kind="individual", year=2023
    )
    numbers = race(lambda n: make_resolution(world.council, title=f"Nghị quyết {n}").number)
    assert sorted(numbers) == [1, 2]
    assert sorted(Resolution.objects.values_list("number", flat=True)) == [1, 2]


def test_the_first_two_resolution_numbers_of_a_new_year_do_not_collide() -> None:
    """No counter row yet: both clerks create it at once; one waits for the other's insert."""
    world = council_world()
    numbers = race(lambda n: make_resolution(world.council, adopted_on=dt.date(2025, 1, 2)).number)
    assert sorted(numbers) == [1, 2]


def test_two_petitions_registered_at_once_get_consecutive_register_numbers() -> None:
    council = f.CouncilFactory(code="P")
    day = dt.date(2023, 3, 1)
    numbers = race(lambda n: receive_denunciation(council, day).number, clerks=3)
    assert sorted(numbers) == [1, 2, 3]
    assert sorted(Petition.objects.values_list("number", flat=True)) == [1, 2, 3]


def test_two_items_forwarded_at_once_get_different_slip_numbers() -> None:
    council = f.CouncilFactory(code="P")
    agency = f.AgencyFactory(council=council)
    day = dt.date(2023, 3, 1)
    items = [receive_denunciation(council, day).items.get() for _ in range(2)]
    slips = race(
        lambda n: item_forward(item=items[n], agency=agency, on=day + dt.timedelta(days=3), by=None)
    )
    assert sorted(slip.number for slip in slips) == [1, 2]
    assert ForwardingSlip.objects.count() == 2


def test_two_clerks_adding_agenda_items_at_once_get_different_positions() -> None:
    world = council_world()
    start = world.session.items.count()
    items = race(
        lambda n: item_add(
            item=AgendaItem(kind="submission", title=f"Tờ trình {n}"), session=world.session
        )
    )
    assert sorted(item.position for item in items) == [start + 1, start + 2]


def test_two_requests_for_a_new_version_at_once_get_different_versions(
    redis_server: RedisServer,
) -> None:
    """Two clerks asking for a new version of one document: versions 1 and 2, never two 1s.
    (Our own Redis takes the jobs; no worker renders them here.)"""
    term = term_with_delegates(1)
    docs = race(lambda n: document_request(kind="core.term-roster", source=term, by=None))
    assert len({doc.pk for doc in docs}) == 1, "the second request shares the pending one"
    docs = race(
        lambda n: document_request(kind="core.term-roster", source=term, by=None, force_new=True)
    )
    versions = GeneratedDocument.objects.filter(
        source_type=ContentType.objects.get_for_model(term), source_id=term.pk
    ).values_list("version", flat=True)
    assert sorted(versions) == [1, 2, 3]
