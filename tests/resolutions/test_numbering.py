"""Numbering: per issuer, kind and year; both official formats; manual numbers; concurrency."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from resolutions.models import Issuer, Kind, NumberCounter, Resolution

from .conftest import make_resolution


def test_it_numbers_each_series_from_one_and_restarts_each_year(hy: Any) -> None:
    first = make_resolution(hy.council, adopted_on=dt.date(2023, 7, 10))
    second = make_resolution(hy.council, adopted_on=dt.date(2023, 12, 8))
    normative = make_resolution(hy.council, kind=Kind.NORMATIVE, adopted_on=dt.date(2023, 12, 8))
    next_year = make_resolution(hy.council, adopted_on=dt.date(2024, 1, 5))
    standing = make_resolution(hy.council, issuer=Issuer.STANDING, adopted_on=dt.date(2023, 8, 1))
    assert (first.number, second.number, next_year.number) == (1, 2, 1)
    assert normative.number == 1 and standing.number == 1


def test_it_writes_both_official_formats_with_a_leading_zero(hy: Any) -> None:
    normative = make_resolution(hy.council, kind=Kind.NORMATIVE, manual_number=12)
    individual = make_resolution(hy.council, manual_number=52)
    small = make_resolution(hy.council, kind=Kind.NORMATIVE, manual_number=6)
    assert normative.symbol == "12/2023/NQ-HĐND"
    assert individual.symbol == "52/NQ-HĐND"
    assert small.symbol == "06/2023/NQ-HĐND"


def test_a_manual_number_is_checked_and_skipped_by_the_allocator(hy: Any) -> None:
    make_resolution(hy.council, manual_number=2)
    with pytest.raises(ValidationError) as exc:
        make_resolution(hy.council, manual_number=2)
    assert "đã" in str(exc.value) or "already" in str(exc.value)
    assert [make_resolution(hy.council).number for _ in range(2)] == [3, 4]


def test_the_database_refuses_a_duplicate_number(hy: Any) -> None:
    taken = make_resolution(hy.council)
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.create(
            council=hy.council,
            issuer=taken.issuer,
            kind=taken.kind,
            year=taken.year,
            number=taken.number,
            title="Trùng số",
            field="other",
            adopted_on=taken.adopted_on,
            effective_from=taken.adopted_on,
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_clerks_adopting_at_once_get_different_numbers() -> None:
    from .conftest import council_world

    world = council_world()
    NumberCounter.objects.create(
        council=world.council, issuer="council", kind="individual", year=2023
    )
    barrier = threading.Barrier(2)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def clerk(n: int) -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                res = make_resolution(world.council, title=f"Nghị quyết của cán bộ {n}")
                # Hold the lock a moment: the other clerk must wait, not read the same counter.
                threading.Event().wait(0.3)
                numbers.append(res.number)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert sorted(numbers) == [1, 2]
    assert set(Resolution.objects.values_list("number", flat=True)) == {1, 2}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_first_numbers_of_a_new_year_do_not_collide() -> None:
    """No counter row yet: both clerks create it at once; one waits for the other's insert."""
    from .conftest import council_world

    world = council_world()
    barrier = threading.Barrier(2)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def clerk() -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                numbers.append(
                    make_resolution(world.council, adopted_on=dt.date(2025, 1, 2)).number
                )
                threading.Event().wait(0.2)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert sorted(numbers) == [1, 2]
