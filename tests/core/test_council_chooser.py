"""The council chooser of every register (issue 14.16): a country-wide user's list pages carry
a short list of councils and a box to type any other, not a select of every council."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from councilportal.models import Council, CouncilLevel, Term

from .. import factories as f
from ..conftest import log_in

REGISTERS = [
    "core:delegate-list",
    "core:term-list",
    "sessions:session-list",
    "resolutions:resolution-list",
    "petitions:recommendation-list",
]


@pytest.fixture
def country(db: Any, django_user_model: Any) -> dict[str, Any]:
    """Twelve provinces of twenty communes each (252 councils), each with a term."""
    provinces = []
    for p in range(12):
        province = f.CouncilFactory(code=f"Q{p:02d}", name=f"HĐND tỉnh Mẫu {p}")
        provinces.append(province)
        for c in range(20):
            f.CouncilFactory(
                code=f"Q{p:02d}-{c:02d}",
                name=f"HĐND xã Mẫu {p}-{c}",
                level=CouncilLevel.COMMUNE,
                parent=province,
            )
    for council in Council.objects.all():
        f.TermFactory(council=council)
    root = django_user_model.objects.create(username="root", is_superuser=True, is_staff=True)
    leader = f.UserFactory(username="lanhdao")
    f.RoleFactory(user=leader, council=provinces[3], role="leader")
    return {"provinces": provinces, "root": root, "leader": leader}


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, f"no <select name={name}>"
    return re.findall(r'<option value="([^"]*)"', select.group(1))


@pytest.mark.parametrize("name", REGISTERS)
def test_a_country_wide_user_gets_a_short_council_list_and_a_box(
    country: Any, client: Any, name: str
) -> None:
    log_in(client, country["root"])
    html = client.get(reverse(name)).content.decode()
    councils = _options(html, "council")
    # The twelve provinces (and "All"), not 252 councils.
    assert len(councils) == 13
    assert 'name="council_find"' in html
    # The terms: far more than the limit would list them all; without a council none is listed.
    if 'name="term"' in html:
        assert len(_options(html, "term")) <= 201


def test_choosing_a_province_lists_it_its_communes_and_their_terms(
    country: Any, client: Any
) -> None:
    log_in(client, country["root"])
    province = country["provinces"][5]
    html = client.get(reverse("core:delegate-list"), {"council": province.pk}).content.decode()
    councils = _options(html, "council")
    below = set(Council.objects.filter(parent=province).values_list("pk", flat=True))
    assert {int(v) for v in councils if v} >= below | {province.pk}
    assert len(councils) == 13 + 20
    assert _options(html, "council").count(str(province.pk)) == 1
    assert f'<option value="{province.pk}" selected>' in html


def test_a_council_typed_by_code_or_name_filters_the_list(country: Any, client: Any) -> None:
    log_in(client, country["root"])
    commune = Council.objects.get(code="Q07-11")
    response = client.get(reverse("core:term-list"), {"council_find": "q07-11"})
    assert response.status_code == 200
    assert [t.council_id for t in response.context["object_list"]] == [commune.pk]
    assert f'<option value="{commune.pk}" selected>' in response.content.decode()
    response = client.get(reverse("core:term-list"), {"council_find": "xa mau 7-11"})
    assert [t.council_id for t in response.context["object_list"]] == [commune.pk]
    response = client.get(reverse("core:term-list"), {"council_find": "không có"})
    assert response.status_code == 200
    assert "Không có Hội đồng nhân dân nào trong phạm vi" in response.content.decode()


def test_a_province_leader_sees_the_province_and_its_communes(country: Any, client: Any) -> None:
    client.force_login(country["leader"])
    html = client.get(reverse("sessions:session-list")).content.decode()
    province = country["provinces"][3]
    expected = {province.pk, *Council.objects.filter(parent=province).values_list("pk", flat=True)}
    assert {int(v) for v in _options(html, "council") if v} == expected
    terms = _options(html, "term")
    assert len([t for t in terms if t]) == Term.objects.filter(council__in=expected).count()


@pytest.mark.parametrize("name", REGISTERS)
def test_the_chooser_costs_the_same_queries_whatever_the_country(
    country: Any, client: Any, name: str, django_assert_max_num_queries: Any
) -> None:
    log_in(client, country["root"])
    client.get(reverse(name))  # warm caches
    with django_assert_max_num_queries(12):
        assert client.get(reverse(name), {"council": country["provinces"][1].pk}).status_code == 200
