"""Legal status on any date through chains of amendments, replacements and repeals; the same
answer from Python (detail page) and from the database (register filter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from resolutions.models import Kind, LegalStatus, Resolution, ResolutionRelation
from resolutions.services import relation_add, resolution_check

from .conftest import make_resolution

D = dt.date


def _both(res: Resolution, day: dt.date) -> str:
    """Status from Python and from SQL, which must agree."""
    fresh = Resolution.objects.prefetch_related(
        "relations_in", "relations_out__target__relations_in"
    ).get(pk=res.pk)
    python = fresh.status_on(day)
    sql = Resolution.objects.with_status_on(day).get(pk=res.pk).status_code
    assert python == sql, (day, python, sql)
    return python


def test_status_follows_an_amend_replace_repeal_chain(hy: Any) -> None:
    council = hy.council
    a = make_resolution(council, kind=Kind.NORMATIVE, adopted_on=D(2021, 3, 1))
    b = make_resolution(council, kind=Kind.NORMATIVE, adopted_on=D(2022, 5, 2))
    c = make_resolution(council, kind=Kind.NORMATIVE, adopted_on=D(2023, 7, 3))
    d = make_resolution(council, kind=Kind.NORMATIVE, adopted_on=D(2024, 9, 4))
    relation_add(source=b, target=a, kind="amends")  # from b.effective_from
    relation_add(source=c, target=a, kind="replaces")
    relation_add(source=d, target=c, kind="repeals")
    assert _both(a, D(2021, 3, 5)) == LegalStatus.NOT_YET
    assert _both(a, D(2021, 3, 11)) == LegalStatus.IN_FORCE
    assert _both(a, D(2022, 5, 11)) == LegalStatus.IN_FORCE  # amendment not yet in force
    assert _both(a, D(2022, 5, 12)) == LegalStatus.PARTLY_LAPSED
    assert _both(a, D(2023, 7, 13)) == LegalStatus.FULLY_LAPSED
    assert _both(c, D(2024, 1, 1)) == LegalStatus.IN_FORCE
    assert _both(c, D(2024, 9, 14)) == LegalStatus.FULLY_LAPSED
    assert _both(d, D(2024, 9, 14)) == LegalStatus.IN_FORCE


def test_partial_repeal_expiry_suspension_and_detailing(hy: Any) -> None:
    council = hy.council
    a = make_resolution(council, adopted_on=D(2022, 1, 10), expires_on=D(2025, 1, 1))
    b = make_resolution(council, adopted_on=D(2023, 2, 1))
    relation_add(source=b, target=a, kind="repeals", partial=True, articles="Điều 3")
    detail = make_resolution(council, adopted_on=D(2022, 6, 1))
    relation_add(source=detail, target=a, kind="details")
    suspended = make_resolution(
        council, adopted_on=D(2022, 6, 1), suspended_from=D(2023, 1, 1), suspended_to=D(2023, 3, 1)
    )
    assert _both(a, D(2023, 2, 1)) == LegalStatus.PARTLY_LAPSED
    assert _both(a, D(2025, 1, 1)) == LegalStatus.FULLY_LAPSED
    assert _both(detail, D(2024, 12, 31)) == LegalStatus.IN_FORCE
    assert _both(detail, D(2025, 1, 1)) == LegalStatus.FULLY_LAPSED  # lapses with its parent
    assert _both(suspended, D(2023, 2, 1)) == LegalStatus.SUSPENDED
    assert _both(suspended, D(2023, 3, 2)) == LegalStatus.IN_FORCE
    in_force = set(Resolution.objects.in_force(D(2023, 2, 1)).values_list("pk", flat=True))
    assert in_force == {a.pk, b.pk, detail.pk}


def test_a_relation_cannot_point_to_itself(hy: Any) -> None:
    a = make_resolution(hy.council)
    with pytest.raises(ValidationError):
        relation_add(source=a, target=a, kind="amends")
    with pytest.raises(IntegrityError), transaction.atomic():
        ResolutionRelation.objects.create(
            source=a, target=a, kind="amends", effective_from=a.effective_from
        )


def test_replacements_cannot_make_a_cycle(hy: Any) -> None:
    a = make_resolution(hy.council, adopted_on=D(2021, 1, 5))
    b = make_resolution(hy.council, adopted_on=D(2022, 1, 5))
    c = make_resolution(hy.council, adopted_on=D(2023, 1, 5))
    relation_add(source=b, target=a, kind="replaces")
    relation_add(source=c, target=b, kind="repeals")
    with pytest.raises(ValidationError) as exc:
        relation_add(source=a, target=c, kind="replaces")
    assert "cycle" in str(exc.value) or "vòng" in str(exc.value)
    relation_add(source=a, target=c, kind="corrects")  # not a replacement: allowed


def test_effective_date_of_a_normative_resolution_is_ten_days_after_adoption(hy: Any) -> None:
    res = Resolution(
        council=hy.council,
        kind=Kind.NORMATIVE,
        title="Quy định giá đất",
        field="land",
        adopted_on=D(2025, 7, 10),
        effective_from=D(2025, 7, 19),
    )
    with pytest.raises(ValidationError) as exc:
        resolution_check(res)
    assert "effective_from" in exc.value.message_dict
    assert "20/07/2025" in exc.value.message_dict["effective_from"][0]
    assert "64/2025/QH15" in exc.value.message_dict["effective_from"][0]
    res.effective_from = D(2025, 7, 20)
    resolution_check(res)
    res.effective_from = D(2025, 7, 10)
    res.shortened_procedure = True
    resolution_check(res)
    individual = Resolution(
        council=hy.council,
        kind=Kind.INDIVIDUAL,
        title="Phê chuẩn",
        field="other",
        adopted_on=D(2025, 7, 10),
        effective_from=D(2025, 7, 10),
    )
    resolution_check(individual)


def test_removing_a_relation_restores_the_status_in_the_register(hy: Any) -> None:
    from resolutions.services import relation_delete

    a = make_resolution(hy.council, adopted_on=D(2021, 1, 5))
    b = make_resolution(hy.council, adopted_on=D(2022, 1, 5))
    detail = make_resolution(hy.council, adopted_on=D(2021, 3, 5))
    relation_add(source=detail, target=a, kind="details")
    rel = relation_add(source=b, target=a, kind="repeals")
    assert _both(detail, D(2023, 1, 1)) == LegalStatus.FULLY_LAPSED
    relation_delete(relation=rel)
    assert _both(a, D(2023, 1, 1)) == LegalStatus.IN_FORCE
    assert _both(detail, D(2023, 1, 1)) == LegalStatus.IN_FORCE
    a.expires_on = D(2022, 6, 1)
    from resolutions.services import resolution_save

    resolution_save(resolution=a)
    assert _both(detail, D(2022, 6, 1)) == LegalStatus.FULLY_LAPSED
