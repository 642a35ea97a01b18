"""A council sitting today for the paperless-session tests: delegates with portal accounts
linked to their register records, a session in progress, a sitting day and an item."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from councilportal.models import Council, CouncilLevel, Delegate, Role
from sessions.models import AgendaItem, Session, Sitting

from .. import factories as f


@dataclass
class Hall:
    council: Council
    delegates: list[Delegate]
    clerk: Any
    session: Session
    sitting: Sitting
    item: AgendaItem


def hall(size: int, *, code: str = "HY", accounts: int = 3) -> Hall:
    """`size` delegates in office today, the first `accounts` with a linked login; a clerk."""
    today = timezone.localdate()
    council = f.CouncilFactory(
        code=code,
        name=f"HĐND tỉnh {code}",
        level=CouncilLevel.PROVINCE,
        place_name="Hưng Yên",
        administrative_name=f"TỈNH {code}",
    )
    term = f.TermFactory(
        council=council,
        start_date=today - dt.timedelta(days=400),
        end_date=today + dt.timedelta(days=1000),
    )
    delegates = [
        f.DelegateFactory(
            term=term,
            full_name=f"Đại biểu {code} {i:03d}",
            user=f.UserFactory(username=f"daibieu.{code.lower()}.{i}") if i < accounts else None,
        )
        for i in range(size)
    ]
    for d in delegates[:accounts]:
        f.RoleFactory(user=d.user, council=council, role=Role.DELEGATE)
    clerk = f.UserFactory(username=f"thuky.{code.lower()}")
    f.RoleFactory(user=clerk, council=council, role=Role.CLERK)
    session = f.SessionFactory(
        council=council,
        term=term,
        ordinal=5,
        status="in_progress",
        planned_start=today,
        planned_end=today + dt.timedelta(days=1),
        actual_start=today,
    )
    sitting = f.SittingFactory(session=session, date=today)
    item = f.AgendaItemFactory(session=session, position=1, title=f"Tờ trình dự thảo {code}")
    return Hall(council, delegates, clerk, session, sitting, item)
