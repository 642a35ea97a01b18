"""A council's delegates on a date: one dated count on the home page, the council page, the
delegate list it links to, and the votes (issue 14.4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from councilportal.models import CouncilLevel, Delegate

from .. import factories as f


def _council_with_two_terms(code: str, **council: Any) -> Any:
    """A council with 3 delegates in an ended term and 2 in the term in force today."""
    c = f.CouncilFactory(code=code, name=f"HĐND {code}", **council)
    today = timezone.localdate()
    old = f.TermFactory(
        council=c,
        ordinal=1,
        name="Khóa I",
        start_date=dt.date(2016, 6, 1),
        end_date=dt.date(2021, 5, 31),
    )
    new = f.TermFactory(
        council=c,
        ordinal=2,
        name="Khóa II",
        start_date=dt.date(2021, 6, 1),
        end_date=today + dt.timedelta(days=365),
    )
    for i in range(3):
        f.DelegateFactory(term=old, full_name=f"Cũ {code} {i}")
    for i in range(2):
        f.DelegateFactory(term=new, full_name=f"Mới {code} {i}")
    return c


@pytest.mark.django_db
def test_a_council_counts_only_the_delegates_of_the_term_in_force() -> None:
    council = _council_with_two_terms("K")
    assert council.delegate_count(timezone.localdate()) == 2
    assert council.delegate_count(dt.date(2020, 1, 1)) == 3


@pytest.mark.django_db
def test_a_council_whose_validity_ended_has_no_delegates_after_its_end() -> None:
    district = _council_with_two_terms(
        "D", level=CouncilLevel.DISTRICT, valid_to=dt.date(2025, 6, 30)
    )
    assert district.delegate_count(dt.date(2025, 6, 30)) == 2
    assert district.delegate_count(dt.date(2025, 7, 1)) == 0
    delegate = Delegate.objects.filter(term__council=district).last()
    assert delegate.in_office_on(dt.date(2025, 6, 30))
    assert not delegate.in_office_on(dt.date(2025, 7, 1))


def test_the_home_page_shows_the_dated_count_and_links_to_exactly_those_delegates(
    world: Any, login: Any
) -> None:
    council = _council_with_two_terms("HK", parent=world.province, level=CouncilLevel.COMMUNE)
    ended = _council_with_two_terms(
        "HD",
        parent=world.province,
        level=CouncilLevel.DISTRICT,
        valid_to=timezone.localdate() - dt.timedelta(days=10),
    )
    client = login(world.users["province_clerk"])
    page = client.get("/")
    html = page.content.decode()
    rows = {c.code: c.delegates_now for c in page.context["councils"]}
    assert rows["HK"] == 2 == council.delegate_count()
    assert rows["HD"] == 0 == ended.delegate_count()
    today = timezone.localdate().strftime("%d/%m/%Y")
    link = f"?council={council.pk}&amp;in_office_on={today}"
    assert link in html
    listed = client.get(f"/delegates/?council={council.pk}&in_office_on={today}")
    assert listed.status_code == 200
    names = {d.full_name for d in listed.context["object_list"]}
    assert names == {"Mới HK 0", "Mới HK 1"}
