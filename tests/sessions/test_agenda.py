"""The agenda of a session: order, reordering (also in place with htmx), deletion, and the
documents attached to an item, checked by content and served only to those who may read them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from councilportal.models import Attachment
from sessions.models import AgendaItem, Session
from sessions.services import item_delete, item_move, item_next_position

from .. import factories as f
from .conftest import Assembly, assembly

TITLES = ["Khai mạc", "Báo cáo kinh tế - xã hội", "Tờ trình dự toán", "Chất vấn", "Bế mạc"]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _agenda(db: Any) -> tuple[Assembly, dict[str, AgendaItem]]:
    council = assembly(3)
    council.item.delete()
    items = {
        title: AgendaItem.objects.create(
            session=council.session, position=n, kind="other", title=title
        )
        for n, title in enumerate(TITLES, start=1)
    }
    return council, items


def _order(session: Session) -> list[str]:
    return list(session.items.order_by("position").values_list("title", flat=True))


def _positions(session: Session) -> list[int]:
    return list(session.items.order_by("position").values_list("position", flat=True))


def test_moving_an_item_swaps_it_with_its_neighbour(db: Any) -> None:
    council, items = _agenda(db)
    item_move(item=items["Chất vấn"], up=True)
    assert _order(council.session) == [
        "Khai mạc",
        "Báo cáo kinh tế - xã hội",
        "Chất vấn",
        "Tờ trình dự toán",
        "Bế mạc",
    ]
    item_move(item=items["Khai mạc"], up=False)
    assert _order(council.session)[:2] == ["Báo cáo kinh tế - xã hội", "Khai mạc"]
    assert _positions(council.session) == [1, 2, 3, 4, 5]


def test_moving_the_first_item_up_or_the_last_down_changes_nothing(db: Any) -> None:
    council, items = _agenda(db)
    moved = item_move(item=items["Khai mạc"], up=True)
    assert moved.position == 1
    item_move(item=items["Bế mạc"], up=False)
    assert _order(council.session) == TITLES
    assert _positions(council.session) == [1, 2, 3, 4, 5]


def test_deleting_an_item_renumbers_the_items_after_it(db: Any) -> None:
    council, items = _agenda(db)
    item_delete(item=items["Báo cáo kinh tế - xã hội"])
    assert _order(council.session) == ["Khai mạc", "Tờ trình dự toán", "Chất vấn", "Bế mạc"]
    assert _positions(council.session) == [1, 2, 3, 4]
    item_delete(item=AgendaItem.objects.get(title="Bế mạc"))
    assert _positions(council.session) == [1, 2, 3]
    assert item_next_position(council.session) == 4


def test_a_new_item_goes_to_the_end_of_the_agenda(db: Any, client: Any) -> None:
    council, _items = _agenda(db)
    clerk = f.UserFactory(username="clerk-hy")
    f.RoleFactory(user=clerk, council=council.council, role="clerk")
    client.force_login(clerk)
    response = client.post(
        reverse("sessions:item-create", args=[council.session.pk]),
        {"kind": "questioning", "title": "Phiên chất vấn bổ sung", "is_public": "on"},
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get(title="Phiên chất vấn bổ sung").position == 6


def test_the_htmx_move_returns_the_agenda_table_in_its_new_order(db: Any, client: Any) -> None:
    council, items = _agenda(db)
    clerk = f.UserFactory(username="clerk-hy")
    f.RoleFactory(user=clerk, council=council.council, role="clerk")
    client.force_login(clerk)
    response = client.post(
        reverse("sessions:item-up", args=[items["Bế mạc"].pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page and 'class="table table-sm align-middle agenda"' in page
    assert page.index("Bế mạc") < page.index("Chất vấn")
    assert _order(council.session)[-2:] == ["Bế mạc", "Chất vấn"]
    # Without htmx, the same action sends the user back to the agenda.
    response = client.post(reverse("sessions:item-down", args=[items["Bế mạc"].pk]))
    assert response.status_code == 302
    assert response.url == council.session.get_absolute_url() + "#agenda"
    assert _order(council.session) == TITLES


def test_the_delete_page_asks_first_then_deletes_and_renumbers(db: Any, client: Any) -> None:
    council, items = _agenda(db)
    clerk = f.UserFactory(username="clerk-hy")
    f.RoleFactory(user=clerk, council=council.council, role="clerk")
    client.force_login(clerk)
    url = reverse("sessions:item-delete", args=[items["Khai mạc"].pk])
    assert client.get(url).status_code == 200
    assert AgendaItem.objects.filter(pk=items["Khai mạc"].pk).exists()
    assert client.post(url).status_code == 302
    assert _order(council.session) == TITLES[1:]
    assert _positions(council.session) == [1, 2, 3, 4]


# Uploads ------------------------------------------------------------------------------------


def _province_item(world: Any) -> AgendaItem:
    return AgendaItem.objects.get(session__council=world.province)


def _owner(item: AgendaItem) -> dict[str, Any]:
    """The hidden fields of the item page's upload form (posted to core:attachment-create)."""
    return {"owner_type": "council_sessions.agendaitem", "owner": item.pk}


def test_a_real_pdf_is_attached_and_downloaded_only_by_those_who_read_the_item(
    world: Any, login: Any, media: Path
) -> None:
    item = _province_item(world)
    client = login(world.users["province_clerk"])
    response = client.post(
        reverse("core:attachment-create"),
        {
            **_owner(item),
            "title": "Dự thảo nghị quyết",
            "file": SimpleUploadedFile("du-thao.pdf", PDF),
        },
    )
    assert response.status_code == 302 and response.url == item.get_absolute_url()
    attachment = Attachment.objects.get(title="Dự thảo nghị quyết")
    assert (attachment.owner_id, attachment.council_id) == (item.pk, world.province.pk)
    assert (attachment.content_type, attachment.size) == ("application/pdf", len(PDF))
    assert "Dự thảo nghị quyết" in client.get(item.get_absolute_url()).content.decode()

    url = reverse("core:attachment-download", args=[attachment.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    for persona in ("leader", "delegate"):
        assert login(world.users[persona]).get(url).status_code == 200, persona
    for persona in ("outsider", "commune_clerk"):
        assert login(world.users[persona]).get(url).status_code == 404, persona


def _refused(world: Any, login: Any, upload: SimpleUploadedFile) -> str:
    item = _province_item(world)
    before = Attachment.objects.count()
    client = login(world.users["province_clerk"])
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("core:attachment-create"), {**_owner(item), "title": "Tài liệu", "file": upload}
    )
    assert response.status_code == 400
    assert Attachment.objects.count() == before
    return response.content.decode()


def test_a_text_file_named_pdf_is_refused(world: Any, login: Any, media: Path) -> None:
    page = _refused(
        world, login, SimpleUploadedFile("bao-cao.pdf", b"Day khong phai PDF, chi la van ban.")
    )
    assert "The file&#x27;s content is not of an accepted type" in page
    assert not list(media.rglob("*bao-cao*"))


def test_a_file_over_the_size_limit_is_refused(
    world: Any, login: Any, media: Path, settings: Any
) -> None:
    settings.MAX_UPLOAD_BYTES = 64
    page = _refused(world, login, SimpleUploadedFile("lon.pdf", PDF + b"0" * 64))
    assert "the limit is 64" in page


def test_a_reader_cannot_attach_a_document(world: Any, login: Any, media: Path) -> None:
    item = _province_item(world)
    before = Attachment.objects.count()
    client = login(world.users["delegate"])  # reads the province, writes nothing
    assert client.get(item.get_absolute_url()).status_code == 200
    response = client.post(
        reverse("core:attachment-create"),
        {**_owner(item), "title": "Không được phép", "file": SimpleUploadedFile("x.pdf", PDF)},
    )
    assert response.status_code == 403
    assert Attachment.objects.count() == before
    # The page no longer takes uploads itself.
    assert client.post(item.get_absolute_url()).status_code == 405
