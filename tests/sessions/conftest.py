"""Helpers of the sessions tests: a council with a known number of delegates, its session and
agenda (eager document rendering: `eager_jobs` in tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from councilportal.models import Council, CouncilLevel, Delegate, Organ, OrganKind, Term
from sessions.models import AgendaItem, Session

from .. import factories as f

OPENING = dt.date(2023, 12, 7)
CLOSING = dt.date(2023, 12, 9)


@dataclass
class Assembly:
    """A council with `size` delegates in office, its term, Standing Committee and a session
    (ordinal 13, 07–09/12/2023) with one agenda item."""

    council: Council
    term: Term
    standing: Organ
    delegates: list[Delegate]
    session: Session
    item: AgendaItem


def assembly(
    size: int,
    *,
    code: str = "HY",
    name: str = "HĐND tỉnh Hưng Yên",
    parent: Council | None = None,
) -> Assembly:
    council = f.CouncilFactory(
        code=code,
        name=name,
        level=CouncilLevel.COMMUNE if parent else CouncilLevel.PROVINCE,
        parent=parent,
        place_name="Hưng Yên",
        administrative_name="TỈNH HƯNG YÊN",
    )
    term = f.TermFactory(council=council)
    standing = f.OrganFactory(
        term=term, council=council, kind=OrganKind.STANDING_COMMITTEE, name="Thường trực HĐND"
    )
    Delegate.objects.bulk_create(
        Delegate(
            term=term,
            full_name=f"Đại biểu {code} {i:02d}",
            electoral_unit=f"Đơn vị bầu cử số {i % 5 + 1}",
            start_date=term.start_date,
        )
        for i in range(size)
    )
    session = f.SessionFactory(
        council=council,
        term=term,
        ordinal=13,
        title="Kỳ họp thường lệ cuối năm 2023",
        planned_start=OPENING,
        planned_end=CLOSING,
        chair_name="Trần Quốc Toản",
        secretary_name="Lê Thị Thư",
    )
    item = f.AgendaItemFactory(
        session=session,
        position=1,
        title="Tờ trình về dự toán ngân sách năm 2024",
        presenter="UBND tỉnh",
    )
    delegates = list(Delegate.objects.filter(term=term).order_by("full_name"))
    return Assembly(council, term, standing, delegates, session, item)
