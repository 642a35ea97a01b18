"""Attendance (điểm danh) of a sitting day: counts against the register, reasons for absences."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from sessions.models import Attendance, Sitting
from sessions.services import attendance_counts, attendance_record

from .. import factories as f
from .conftest import OPENING, assembly


def test_attendance_counts_present_and_late_as_attending_out_of_the_register(db: Any) -> None:
    council = assembly(6)
    sitting = Sitting.objects.create(session=council.session, date=OPENING)
    d = [x.pk for x in council.delegates]
    counts = attendance_record(
        sitting=sitting,
        rows={
            d[0]: ("present", ""),
            d[1]: ("present", ""),
            d[2]: ("late", ""),
            d[3]: ("excused", "Đi công tác nước ngoài"),
            d[4]: ("absent", "  Không báo trước  "),
        },
    )
    assert counts == {
        "present": 2,
        "late": 1,
        "excused": 1,
        "absent": 1,
        "attending": 3,
        "total": 6,  # the register, not the 5 rows recorded
        "register": 6,
    }
    assert attendance_counts(sitting) == counts
    assert Attendance.objects.get(sitting=sitting, delegate_id=d[4]).reason == "Không báo trước"
    # Correcting one row changes it in place.
    counts = attendance_record(sitting=sitting, rows={d[3]: ("late", "")})
    assert (counts["late"], counts["excused"], counts["attending"]) == (2, 0, 4)
    assert Attendance.objects.filter(sitting=sitting).count() == 5


def test_the_total_follows_the_register_on_the_sitting_day(db: Any) -> None:
    council = assembly(4)
    leaver = council.delegates[0]
    leaver.end_date = dt.date(2023, 12, 7)
    leaver.end_reason = "Nghỉ hưu"
    leaver.save()
    first = Sitting.objects.create(session=council.session, date=dt.date(2023, 12, 7))
    second = Sitting.objects.create(session=council.session, date=dt.date(2023, 12, 8))
    assert attendance_counts(first)["total"] == 4
    assert attendance_counts(second)["total"] == 3


def test_an_absence_with_permission_without_a_reason_is_refused_and_nothing_is_saved(
    db: Any,
) -> None:
    council = assembly(3)
    sitting = Sitting.objects.create(session=council.session, date=OPENING)
    d = [x.pk for x in council.delegates]
    with pytest.raises(ValidationError):
        attendance_record(
            sitting=sitting,
            rows={d[0]: ("present", ""), d[1]: ("excused", "   "), d[2]: ("present", "")},
        )
    assert not Attendance.objects.filter(sitting=sitting).exists()
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(sitting=sitting, delegate_id=d[1], presence="excused")


def test_an_absence_without_permission_needs_no_reason(db: Any) -> None:
    council = assembly(3)
    sitting = Sitting.objects.create(session=council.session, date=OPENING)
    d = [x.pk for x in council.delegates]
    counts = attendance_record(
        sitting=sitting,
        rows={d[0]: ("present", ""), d[1]: ("absent", ""), d[2]: ("present", "")},
    )
    assert counts["absent"] == 1
    assert Attendance.objects.get(sitting=sitting, delegate_id=d[1]).reason == ""


def test_the_attendance_page_saves_the_rows_and_shows_the_counts(db: Any, client: Any) -> None:
    council = assembly(5)
    clerk = f.UserFactory(username="clerk-hy")
    f.RoleFactory(user=clerk, council=council.council, role="clerk")
    client.force_login(clerk)
    client.cookies["django_language"] = "en"
    sitting = Sitting.objects.create(session=council.session, date=OPENING)
    url = reverse("sessions:sitting-attendance", args=[sitting.pk])
    page = client.get(url).content.decode()
    for delegate in council.delegates:
        assert delegate.full_name in page
    d = [x.pk for x in council.delegates]
    data = {f"p{pk}": "present" for pk in d} | {f"r{pk}": "" for pk in d}
    data |= {f"p{d[1]}": "late", f"p{d[2]}": "excused", f"p{d[3]}": "absent"}

    # An absence with permission without its reason: the form comes back, nothing is stored.
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Give the reason for an absence." in response.content.decode()
    assert not Attendance.objects.filter(sitting=sitting).exists()

    # An absence without permission is saved without a reason.
    data[f"r{d[2]}"] = "Ốm"
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == url
    stored = dict(Attendance.objects.filter(sitting=sitting).values_list("delegate_id", "presence"))
    assert stored == {
        d[0]: "present",
        d[1]: "late",
        d[2]: "excused",
        d[3]: "absent",
        d[4]: "present",
    }
    page = client.get(url).content.decode()
    assert "3 of 5 delegates attending (1 late); 1 absent with permission, 1 without." in page
    assert 'value="Ốm"' in page  # the saved reason is shown back for editing
