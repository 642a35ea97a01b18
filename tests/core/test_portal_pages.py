"""Small things users noticed (14.19): the admin speaks the portal's name and Vietnamese, the
home page is not a second "Tổng quan", and links lead only where the user may go."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .. import factories as f
from ..conftest import log_in


def test_the_admin_is_branded_and_its_sections_are_in_vietnamese(
    world: Any, client: Any, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "vi"
    root = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    log_in(client, root)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Quản trị Cổng thông tin HĐND" in page
    assert "Django" not in page
    for english in ("Axes", "Access attempts", "Access logs", "TOTP devices", "OTP_TOTP"):
        assert english not in page, english
    assert "Chống dò mật khẩu" in page and "Xác thực hai bước" in page


def test_the_home_page_has_its_own_title(world: Any, login: Any, settings: Any) -> None:
    settings.LANGUAGE_CODE = "vi"
    client = login(world.users["province_clerk"])
    home = client.get(reverse("home")).content.decode()
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert "<title>Trang chủ" in home and "Trang chủ</h1>" in home
    assert "<title>Tổng quan" in dashboard
    assert "<title>Tổng quan" not in home


def test_the_access_log_is_offered_only_to_who_may_open_it(world: Any, login: Any) -> None:
    url = reverse("petitions:access-log")
    list_url = reverse("petitions:petition-list")
    for persona, allowed in [("province_clerk", False), ("leader", True), ("handler", True)]:
        client = login(world.users[persona])
        page = client.get(list_url).content.decode()
        assert (url in page) is allowed, persona
        assert (client.get(url).status_code == 200) is allowed, persona


def test_the_term_filter_names_the_council_of_each_term(world: Any, login: Any) -> None:
    import datetime as dt

    for council in (world.province, world.commune):
        f.TermFactory(
            council=council,
            ordinal=20,
            name="Khóa XX",
            start_date=dt.date(2021, 6, 1),
            end_date=dt.date(2025, 6, 30),
        )
    client = login(world.users["leader"])
    page = client.get(reverse("core:delegate-list")).content.decode()
    assert f"{world.province.name} — Khóa XX (2021–2025)" in page
    assert f"{world.commune.name} — Khóa XX (2021–2025)" in page


def test_vietnamese_name_order_by_given_name_then_full_name() -> None:
    from councilportal.web.text import name_sort_key

    names = [
        "Trần Hồng Hương",
        "Nguyễn Thị Hồng Hạnh",
        "Đỗ Văn Đức",
        "Lê Văn Dũng",
        "Phạm Thị An",
        "Nguyễn Văn Anh",
        "Bùi Thị Ánh",
        "Vũ Thị Ân",
        "Hoàng Ơn",
        "Trần Văn Ôn",
        "Đặng Văn Ôn",
    ]
    ordered = sorted(names, key=name_sort_key)
    assert ordered == [
        "Phạm Thị An",
        "Nguyễn Văn Anh",
        "Bùi Thị Ánh",
        "Vũ Thị Ân",
        "Lê Văn Dũng",
        "Đỗ Văn Đức",
        "Nguyễn Thị Hồng Hạnh",
        "Trần Hồng Hương",
        "Đặng Văn Ôn",
        "Trần Văn Ôn",
        "Hoàng Ơn",
    ]


def test_the_delegate_list_sorts_by_given_name_in_vietnamese_order(world: Any, login: Any) -> None:
    import datetime as dt

    from councilportal.models import Delegate

    term = f.TermFactory(
        council=world.commune,
        ordinal=30,
        start_date=dt.date(2021, 6, 1),
        end_date=dt.date(2026, 6, 30),
    )
    for name in ("Trần Hồng Hương", "Nguyễn Thị Hồng Hạnh", "Đỗ Văn Đức", "Lê Văn Dũng"):
        f.DelegateFactory(term=term, full_name=name, start_date=dt.date(2021, 6, 1))
    client = login(world.users["commune_clerk"])
    url = reverse("core:delegate-list")
    for params in ({}, {"o": "full_name"}):
        rows = list(client.get(url, params).context["object_list"])
        names = [d.full_name for d in rows if d.term_id == term.pk]
        assert names == [
            "Lê Văn Dũng",
            "Đỗ Văn Đức",
            "Nguyễn Thị Hồng Hạnh",
            "Trần Hồng Hương",
        ], params
    assert list(Delegate.objects.filter(term=term).values_list("full_name", flat=True))[0] == (
        "Lê Văn Dũng"
    )
