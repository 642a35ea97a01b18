"""The core registers as a clerk uses them: validation in Vietnamese, history, search, counts."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from councilportal.models import Council, CouncilLevel, Delegate, Term

from .. import factories as f

ROOT = Path(__file__).resolve().parents[2]


def test_the_interface_is_vietnamese_by_default_and_english_on_request(
    world: Any, login: Any
) -> None:
    client = login(world.users["province_clerk"])
    page = client.get(reverse("core:delegate-list")).content.decode()
    assert "Đại biểu" in page and "Tìm kiếm" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("core:delegate-list")).content.decode()
    assert "Delegates" in page and "Search" in page


def test_a_term_ending_before_it_starts_is_refused_in_vietnamese(world: Any, login: Any) -> None:
    client = login(world.users["province_clerk"])
    response = client.post(
        reverse("core:term-create"),
        {
            "council": world.province.pk,
            "ordinal": 18,
            "name": "Khóa XVIII",
            "start_date": "01/04/2026",
            "end_date": "31/03/2026",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ngày kết thúc phải sau ngày bắt đầu" in page
    assert "Khóa XVIII" in page  # what the user typed is kept
    assert not Term.objects.filter(ordinal=18).exists()


def test_a_duplicate_term_number_is_refused(world: Any, login: Any) -> None:
    client = login(world.users["province_clerk"])
    response = client.post(
        reverse("core:term-create"),
        {
            "council": world.province.pk,
            "ordinal": 17,
            "name": "Khóa XVII",
            "start_date": "25/06/2021",
            "end_date": "30/06/2026",
        },
    )
    assert response.status_code == 200
    assert "đã có nhiệm kỳ" in response.content.decode()


def test_dates_are_typed_and_shown_as_dd_mm_yyyy(world: Any, login: Any) -> None:
    client = login(world.users["province_clerk"])
    term = Term.objects.get(council=world.province)
    response = client.post(
        reverse("core:delegate-create"),
        {
            "term": term.pk,
            "full_name": "Nguyễn Văn Bình",
            "electoral_unit": "Đơn vị bầu cử số 3",
            "start_date": "05/07/2021",
        },
    )
    delegate = Delegate.objects.get(full_name="Nguyễn Văn Bình")
    assert response.status_code == 302
    assert delegate.start_date == dt.date(2021, 7, 5)
    page = client.get(delegate.get_absolute_url()).content.decode()
    assert "05/07/2021" in page


def test_a_clerk_cannot_create_a_record_in_a_council_they_only_read(world: Any, login: Any) -> None:
    client = login(world.users["province_clerk"])
    response = client.post(
        reverse("core:agency-create"),
        {"council": world.commune.pk, "name": "Sở lạ", "kind": "department", "is_active": "on"},
    )
    assert response.status_code == 200
    assert (
        "Lựa chọn không hợp lệ" in response.content.decode()
        or "hợp lệ" in response.content.decode()
    )


def test_every_change_is_in_the_history_with_who_and_what(world: Any, login: Any) -> None:
    client = login(world.users["province_clerk"])
    term = Term.objects.get(council=world.province)
    client.post(
        reverse("core:term-update", args=[term.pk]),
        {
            "council": world.province.pk,
            "ordinal": term.ordinal,
            "name": "Khóa XVII (sửa)",
            "start_date": "25/06/2021",
            "end_date": "30/06/2026",
        },
    )
    page = client.get(reverse("core:term-history", args=[term.pk])).content.decode()
    assert "province_clerk" in page  # no full name: the username
    assert "Khóa XVII (sửa)" in page
    assert "Cập nhật" in page


def test_search_ignores_accents_and_case(world: Any, login: Any) -> None:
    f.DelegateFactory(term=Term.objects.get(council=world.province), full_name="Đặng Thị Hương")
    client = login(world.users["leader"])
    for query in ("dang thi huong", "ĐẶNG THỊ", "Huong"):
        page = client.get(reverse("core:search"), {"q": query}).content.decode()
        assert "Đặng Thị Hương" in page, query
    listed = client.get(reverse("core:delegate-list"), {"q": "dang huong"}).content.decode()
    assert "Đặng Thị Hương" in listed


def test_moving_a_council_moves_its_subtree(world: Any) -> None:
    other = f.CouncilFactory(code="Q", level=CouncilLevel.PROVINCE)
    village = f.CouncilFactory(code="P-C-V", level=CouncilLevel.COMMUNE, parent=world.commune)
    world.commune.parent = other
    world.commune.save()
    village.refresh_from_db()
    assert village.path == "Q/P-C/P-C-V/"
    assert set(other.descendants()) == {other, world.commune, village}


def test_a_council_cannot_be_placed_below_itself(world: Any, login: Any) -> None:
    client = login(world.users["council_admin"])
    response = client.post(
        reverse("core:council-update", args=[world.province.pk]),
        {
            "name": world.province.name,
            "code": "P",
            "level": "province",
            "parent": world.commune.pk,
            "place_name": "Phố Núi",
            "administrative_name": "TỈNH PHỐ NÚI",
        },
    )
    assert response.status_code == 200
    world.province.refresh_from_db()
    assert world.province.parent_id is None


def test_the_delegate_count_on_a_date_follows_terms_and_departures(world: Any) -> None:
    term = Term.objects.get(council=world.province)
    base = world.province.delegate_count(dt.date(2023, 1, 1))
    leaver = f.DelegateFactory(term=term)
    leaver.end_date = dt.date(2024, 9, 30)
    leaver.end_reason = "Chuyển công tác"
    leaver.save()
    assert world.province.delegate_count(dt.date(2023, 1, 1)) == base + 1
    assert world.province.delegate_count(dt.date(2024, 10, 1)) == base
    assert world.province.delegate_count(dt.date(2030, 1, 1)) == 0  # after the term


def test_the_database_refuses_what_the_forms_refuse(world: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(
            council=world.province,
            ordinal=30,
            name="Sai",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2025, 1, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        f.TermFactory(council=world.province, ordinal=17)


@pytest.mark.parametrize("path", ["core:delegate-list", "core:agency-list", "core:council-list"])
def test_lists_make_a_constant_number_of_queries(
    world: Any, login: Any, path: str, django_assert_max_num_queries: Any
) -> None:
    client = login(world.users["leader"])
    client.get(reverse(path))  # warm caches (content types, sessions)
    term = Term.objects.get(council=world.province)
    for i in range(30):
        f.DelegateFactory(term=term)
        f.AgencyFactory(council=world.province)
        f.CouncilFactory(code=f"P-X{i}", parent=world.province, level=CouncilLevel.COMMUNE)
    # 11: the frame's (session, user, roles, memberships of the agency workspace's gate,
    # notifications) and the list's; none grows with the rows.
    with django_assert_max_num_queries(11):
        assert client.get(reverse(path)).status_code == 200


def test_styled_404_page(world: Any, login: Any) -> None:
    response = login(world.users["province_clerk"]).get("/councils/999999/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_seed_demo_twice_duplicates_nothing(db: Any) -> None:
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    counts = [Council.objects.count(), Term.objects.count(), Delegate.objects.count()]
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert [Council.objects.count(), Term.objects.count(), Delegate.objects.count()] == counts
    hy = Council.objects.get(code="HY")
    assert 55 <= hy.delegate_count(dt.date(2023, 3, 1)) <= 60
    assert hy.successors.count() == 0 and hy.predecessors.filter(code="TB").exists()


def test_production_settings_pass_check_deploy() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-of-sufficient-length-0123456789",
        "ALLOWED_HOSTS": "hdnd.example.gov.vn",
        "FIELD_ENCRYPTION_KEYS": "K" * 43 + "=",
        "FIELD_BLIND_INDEX_KEY": "blind-index-key-of-production",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_times_are_shown_in_vietnam_time() -> None:
    import datetime as dt

    from councilportal.templatetags.portal import cell

    utc = dt.datetime(2026, 11, 29, 23, 47, tzinfo=dt.UTC)
    assert cell(utc) == "30/11/2026 06:47"
