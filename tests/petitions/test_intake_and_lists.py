"""Intake through the form (items and petitioners as formsets, a scan checked by content),
duplicates offered for linking, lists with constant queries, statistics in one query each."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councilportal.models import Attachment
from petitions.models import Petition, PetitionItem
from petitions.services import (
    ItemData,
    PersonData,
    duplicate_candidates,
    item_archive,
    item_forward,
    item_guide,
    petition_receive,
)
from petitions.views import petition_figures

from .conftest import SECRET_ID, SECRET_NAME, Desk


def _form(world: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "council": world.province.pk,
        "channel": "in_person",
        "received_on": "10/03/2023",
        "subject": "Kiến nghị sửa đường liên thôn",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "20",
        "items-0-kind": "recommendation",
        "items-0-field": "economy",
        "items-0-content": "Đề nghị sửa chữa đường liên thôn bị sạt lở.",
        "items-0-locality": "Thôn Đông",
        "items-1-kind": "complaint",
        "items-1-field": "land",
        "items-1-content": "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất.",
        "people-TOTAL_FORMS": "2",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "50",
        "people-0-full_name": "Đỗ Thị Minh",
        "people-0-phone": "0900 111 222",
        "people-0-is_representative": "on",
    }
    data.update(extra)
    return data


def test_a_clerk_registers_a_mixed_petition(world: Any, login: Any, media: Path) -> None:
    client = login(world.users["province_clerk"])
    already = Petition.objects.filter(council=world.province, year=2023).count()
    scan = SimpleUploadedFile("don.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    response = client.post(reverse("petitions:petition-create"), {**_form(world), "scan": scan})
    assert response.status_code == 302, response.content.decode()[:3000]
    petition = Petition.objects.get(subject="Kiến nghị sửa đường liên thôn")
    assert [i.kind for i in petition.items.order_by("position")] == ["recommendation", "complaint"]
    assert petition.number == already + 1 and petition.year == 2023
    assert Attachment.objects.filter(owner_id=petition.pk).count() == 1
    detail = client.get(response.url).content.decode()
    assert "Đỗ Thị Minh" in detail  # not a denunciation: the clerk reads the name


def test_a_scan_of_the_wrong_type_is_refused_with_a_clear_message(
    world: Any, login: Any, media: Path
) -> None:
    client = login(world.users["province_clerk"])
    fake = SimpleUploadedFile("don.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    before = Petition.objects.count()
    response = client.post(reverse("petitions:petition-create"), {**_form(world), "scan": fake})
    assert response.status_code == 200
    assert response.context["form"].errors["scan"]
    assert "PDF, JPEG, PNG" in response.content.decode()
    assert Petition.objects.count() == before


def test_bad_input_is_a_form_error_not_a_server_error(world: Any, login: Any) -> None:
    client = login(world.users["province_clerk"])
    before = Petition.objects.count()
    for extra in (
        {"received_on": "31/02/2023"},
        {"received_on": "01/01/2100"},
        {"items-0-content": "", "items-1-content": ""},
        {"channel": "forwarded"},
        {"people-0-full_name": ""},
        {"council": world.foreign.pk},
    ):
        response = client.post(reverse("petitions:petition-create"), _form(world, **extra))
        assert response.status_code == 200, extra
    assert Petition.objects.count() == before


def test_a_repeated_petition_is_offered_and_linked(desk: Desk, login: Any) -> None:
    client = login(desk.world.users["handler"])
    data = _form(
        desk.world,
        subject="Tố cáo chủ tịch xã nhận tiền bồi thường",
        **{
            "items-0-kind": "denunciation",
            "people-0-full_name": "Trần T. B. Mật",
            "people-0-phone": "",
            "people-0-id_number": SECRET_ID,
        },
    )
    for key in ("items-1-kind", "items-1-field", "items-1-content"):
        data.pop(key)
    offered = client.post(reverse("petitions:petition-create"), data)
    assert offered.status_code == 200
    assert desk.denunciation in offered.context["candidates"]
    body = offered.content.decode()
    assert SECRET_NAME not in body
    linked = client.post(
        reverse("petitions:petition-create"), {**data, "duplicate_of": desk.denunciation.pk}
    )
    assert linked.status_code == 302
    repeat = Petition.objects.get(duplicate_of=desk.denunciation)
    desk.denunciation.refresh_from_db()
    assert desk.denunciation.repeat_count == 2
    # A third one linked to the repeat still links to the first.
    third = petition_receive(
        council=desk.world.province,
        channel="post",
        received_on=dt.date(2023, 4, 1),
        subject="Lần ba",
        items=[ItemData(kind="denunciation", field="land", content="x")],
        people=[],
        is_anonymous=True,
        duplicate_of=repeat,
        by=None,
    )
    desk.denunciation.refresh_from_db()
    assert third.duplicate_of == desk.denunciation and desk.denunciation.repeat_count == 3


def test_duplicates_by_person_or_subject_accent_insensitive(desk: Desk) -> None:
    council = desk.world.province
    by_phone = duplicate_candidates(
        council=council,
        people=[PersonData(phone="0987-654-321")],
        subject="Khác hẳn",
        by=desk.world.users["handler"],
    )
    assert by_phone == [desk.denunciation]
    by_subject = duplicate_candidates(
        council=council, people=[], subject="KHIEU NAI quyet dinh thu hoi dat", by=None
    )
    assert by_subject == [desk.complaint]
    nothing = duplicate_candidates(
        council=council,
        people=[PersonData(full_name="Người Khác")],
        subject="Đề nghị khác",
        by=None,
    )
    assert nothing == []
    assert (
        duplicate_candidates(
            council=desk.world.commune,
            people=[],
            subject="Khiếu nại quyết định thu hồi đất",
            by=None,
        )
        == []
    )


def test_the_list_makes_a_constant_number_of_queries(
    desk: Desk, login: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(desk.world.users["province_clerk"])
    url = reverse("petitions:petition-list")
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    before = len(response.context["petitions"])
    clerk = desk.world.users["province_clerk"]
    for n in range(12):
        petition = petition_receive(
            council=desk.world.province,
            channel="post",
            received_on=dt.date(2023, 3, 1) + dt.timedelta(days=n),
            subject=f"Đơn thứ {n}",
            items=[
                ItemData(kind="complaint", field="land", content="a"),
                ItemData(kind="reflection", field="social", content="b"),
            ],
            people=[PersonData(full_name=f"Người {n}")],
            by=None,
        )
        item_forward(
            item=petition.items.first(),
            agency=desk.agency,
            on=dt.date(2023, 3, 2) + dt.timedelta(days=n),
            by=clerk,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url + "?o=-received_on")
    assert len(response.context["petitions"]) == before + 12


def test_filters_and_search(desk: Desk, login: Any) -> None:
    client = login(desk.world.users["province_clerk"])
    url = reverse("petitions:petition-list")
    assert client.get(url, {"kind": "denunciation"}).context["paginator"].count == 1
    assert client.get(url, {"q": "thu hoi dat"}).context["paginator"].count == 1
    assert client.get(url, {"overdue": "true"}).context["paginator"].count == 2
    assert client.get(url, {"year": "abc"}).status_code == 200


def test_statistics_count_a_subtree_and_period_in_one_query(
    desk: Desk, login: Any, django_assert_num_queries: Any
) -> None:
    clerk = desk.world.users["province_clerk"]
    item_forward(
        item=desk.denunciation.items.get(), agency=desk.agency, on=dt.date(2023, 1, 18), by=clerk
    )
    item_guide(item=desk.complaint.items.get(), on=dt.date(2023, 2, 7), note="Tòa án", by=clerk)
    commune = petition_receive(
        council=desk.world.commune,
        channel="post",
        received_on=dt.date(2023, 2, 1),
        subject="Đơn ở xã",
        items=[ItemData(kind="reflection", field="social", content="x")],
        people=[PersonData(full_name="A")],
        by=None,
    )
    item_archive(item=commune.items.get(), on=dt.date(2023, 2, 2), reason="resolved", by=None)
    items = PetitionItem.objects.visible_to(clerk).filter(petition__subject__startswith="")
    items = items.exclude(petition__subject__startswith="Đơn P")
    with django_assert_num_queries(1):
        figures = petition_figures(items, dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert figures["petitions"] == 3 and figures["items"] == 3
    assert (figures["denunciations"], figures["complaints"], figures["reflections"]) == (1, 1, 1)
    assert (figures["forwarded"], figures["guided"], figures["archived"]) == (1, 1, 1)
    assert figures["eligible"] == 2
    assert figures["overdue"] == 1  # the forwarded denunciation's answer (due 07/02)
    client = login(clerk)
    response = client.get(
        reverse("petitions:statistics"),
        {"council": desk.world.province.pk, "from": "2023-01-01", "to": "2023-12-31"},
    )
    assert response.context["p"]["petitions"] == 5  # with the fixture's two petitions
    commune_clerk = login(desk.world.users["commune_clerk"])
    response = commune_clerk.get(reverse("petitions:statistics"), {"from": "2023-01-01"})
    assert response.context["p"]["petitions"] == 2


def test_a_clerk_corrects_the_subject_and_search_follows(desk: Desk, login: Any) -> None:
    url = reverse("petitions:petition-update", args=[desk.complaint.pk])
    assert login(desk.world.users["delegate"]).get(url).status_code == 403
    client = login(desk.world.users["province_clerk"])
    response = client.post(
        url, {"subject": "Khiếu nại về giá bồi thường đất ở", "channel": "post", "forwarded_by": ""}
    )
    assert response.status_code == 302
    listed = client.get(reverse("petitions:petition-list"), {"q": "gia boi thuong dat o"})
    assert [row["petition"] for row in listed.context["petitions"]] == [desk.complaint]


def test_statistics_take_dd_mm_yyyy_dates_have_a_breadcrumb_and_export(
    desk: Desk, login: Any
) -> None:
    """14.19: the portal's dd/mm/yyyy date field (not the browser's), a breadcrumb, and the
    statistics table in Excel."""
    import io

    from openpyxl import load_workbook

    client = login(desk.world.users["province_clerk"])
    url = reverse("petitions:statistics")
    params = {"council": desk.world.province.pk, "from": "01/01/2023", "to": "31/12/2023"}
    response = client.get(url, params)
    page = response.content.decode()
    iso = client.get(url, {**params, "from": "2023-01-01", "to": "2023-12-31"})
    received = iso.context["p"]["petitions"]
    assert received > 0 and response.context["p"]["petitions"] == received
    assert client.get(url, {**params, "from": "01/01/2024"}).context["p"]["petitions"] == 0
    assert 'type="date"' not in page
    assert 'value="01/01/2023"' in page and 'placeholder="dd/mm/yyyy"' in page
    assert 'class="breadcrumb' in page
    export = client.get(url, {**params, "export": "xlsx"})
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert len(rows) > 10
    assert rows[1][-1] == received  # the first figure: petitions received
    assert client.get(url, {"from": "31/02/2023", "to": "x"}).status_code == 200
