"""A recorded sitting keeps the denominator it was recorded against; a later change of the
register is flagged, not silently applied (issue 14.5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse

from councilportal.documents.services import document_render, document_request
from councilportal.models import Delegate
from sessions.models import Sitting
from sessions.services import attendance_counts, attendance_record

from .. import factories as f
from .conftest import OPENING, assembly
from .test_documents import _text


def test_a_delegate_added_later_does_not_change_a_recorded_sitting(
    db: Any, client: Any, media: Path
) -> None:
    council = assembly(4)
    sitting = Sitting.objects.create(session=council.session, date=OPENING)
    rows = {d.pk: ("present", "") for d in council.delegates}
    rows[council.delegates[3].pk] = ("excused", "Ốm")
    attendance_record(sitting=sitting, rows=rows)
    # Imported afterwards, in office since the start of the term.
    late_comer = Delegate.objects.create(
        term=council.term,
        full_name="Zương Văn Nhập Sau",
        electoral_unit="Đơn vị bầu cử số 2",
        start_date=council.term.start_date,
    )
    counts = attendance_counts(sitting)
    assert (counts["attending"], counts["total"], counts["register"]) == (3, 4, 5)

    clerk = f.UserFactory(username="clerk-total")
    f.RoleFactory(user=clerk, council=council.council, role="clerk")
    client.force_login(clerk)
    client.cookies["django_language"] = "en"
    url = reverse("sessions:sitting-attendance", args=[sitting.pk])
    page = client.get(url).content.decode()
    assert "3 of 4 delegates attending" in page
    assert "The register of delegates changed after this attendance was recorded" in page
    row = page[page.index(late_comer.full_name) :][:200]
    assert "not recorded" in row
    detail = client.get(council.session.get_absolute_url()).content.decode()
    assert "3/4" in detail and "3/5" not in detail

    document = document_request(kind="sessions.minutes", source=council.session, by=None)
    document_render(document_id=document.pk)
    assert "có mặt 3/4 đại biểu" in _text(document)

    # Saving the attendance again records the new delegate and the new total.
    data = {f"p{pk}": p for pk, (p, _r) in rows.items()} | {
        f"r{pk}": r for pk, (_p, r) in rows.items()
    }
    data |= {f"p{late_comer.pk}": "present", f"r{late_comer.pk}": ""}
    assert client.post(url, data).status_code == 302
    sitting.refresh_from_db()
    assert sitting.recorded_total == 5
    page = client.get(url).content.decode()
    assert "4 of 5 delegates attending" in page
    assert "The register of delegates changed" not in page


def test_a_closed_sessions_attendance_reads_in_words(db: Any, client: Any) -> None:
    council = assembly(2)
    sitting = Sitting.objects.create(session=council.session, date=OPENING)
    d = council.delegates
    attendance_record(sitting=sitting, rows={d[0].pk: ("present", ""), d[1].pk: ("excused", "Ốm")})
    council.session.status = "closed"
    council.session.save()
    clerk = f.UserFactory(username="clerk-closed")
    f.RoleFactory(user=clerk, council=council.council, role="clerk")
    client.force_login(clerk)
    client.cookies["django_language"] = "vi"
    page = client.get(reverse("sessions:sitting-attendance", args=[sitting.pk])).content.decode()
    assert "<td>Vắng có lý do</td>" in page
    assert "<td>excused</td>" not in page
