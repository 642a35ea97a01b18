"""Numbering: per issuer, kind and year; both official formats; manual numbers. (Two clerks
numbering at once: tests/faults/test_number_races.py.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from resolutions.models import Issuer, Kind, Resolution

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


def test_a_printed_number_names_one_document_of_the_council(hy: Any) -> None:
    """14.7: the Standing Committee numbers its own series, so its printed symbol differs from
    the council's; the two series never print the same number."""
    council = make_resolution(hy.council, manual_number=22)
    standing = make_resolution(hy.council, issuer=Issuer.STANDING, manual_number=22)
    assert council.symbol == "22/NQ-HĐND"
    assert standing.symbol == "22/NQ-TTHĐND"
    printed = [r.symbol for r in Resolution.objects.filter(council=hy.council, year=2023)]
    assert len(printed) == len(set(printed))


def test_the_standing_committee_cannot_issue_a_normative_resolution(hy: Any) -> None:
    """DOMAIN.md §5: only the council itself adopts legal normative resolutions."""
    make_resolution(hy.council, kind=Kind.NORMATIVE, manual_number=22)
    with pytest.raises(ValidationError) as exc, translation.override("vi"):
        make_resolution(hy.council, kind=Kind.NORMATIVE, issuer=Issuer.STANDING, manual_number=22)
    with translation.override("vi"):
        assert "Thường trực" in str(exc.value.messages)
    assert Resolution.objects.filter(number=22).count() == 1


def test_the_database_refuses_a_normative_resolution_of_the_standing_committee(hy: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.create(
            council=hy.council,
            issuer=Issuer.STANDING,
            kind=Kind.NORMATIVE,
            year=2026,
            number=22,
            title="Quy định",
            field="other",
            adopted_on=dt.date(2026, 3, 1),
            effective_from=dt.date(2026, 3, 20),
        )
