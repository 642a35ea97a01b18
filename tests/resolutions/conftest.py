"""Helpers of the resolutions tests: a council with a session, an agenda item with a passed and a
failed vote, a submission on that item, and a register factory."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from councilportal.models import Agency, Council, CouncilLevel, Organ, OrganKind, Term
from resolutions.models import Field, Issuer, Kind, Resolution, Submission, SubmissionStatus
from resolutions.services import resolution_save
from sessions.models import AgendaItem, Session, Vote

from .. import factories as f

ADOPTED = dt.date(2023, 12, 8)


@dataclass
class Council4:
    council: Council
    term: Term
    committee: Organ
    agency: Agency
    session: Session
    item: AgendaItem
    passed: Vote
    failed: Vote


def council_world(code: str = "HY", parent: Council | None = None) -> Council4:
    council = f.CouncilFactory(
        code=code,
        name="HĐND tỉnh Hưng Yên" if parent is None else f"HĐND xã {code}",
        level=CouncilLevel.PROVINCE if parent is None else CouncilLevel.COMMUNE,
        parent=parent,
        place_name="Hưng Yên",
        administrative_name="TỈNH HƯNG YÊN",
    )
    term = f.TermFactory(council=council)
    committee = f.OrganFactory(
        term=term, council=council, kind=OrganKind.ECONOMY_BUDGET, name="Ban Kinh tế - Ngân sách"
    )
    agency = f.AgencyFactory(council=council, name="UBND tỉnh Hưng Yên", kind="peoples_committee")
    session = f.SessionFactory(council=council, term=term, ordinal=13, title="")
    item = f.AgendaItemFactory(session=session, position=1, title="Tờ trình về dự toán ngân sách")
    passed = f.VoteFactory(
        item=item, subject="Dự toán", held_on=ADOPTED, total_delegates=60, votes_for=58
    )
    failed = f.VoteFactory(
        item=item, subject="Dự toán (lần 1)", held_on=ADOPTED, total_delegates=60, votes_for=30
    )
    return Council4(council, term, committee, agency, session, item, passed, failed)


def submission_on_agenda(w: Council4, **kwargs: Any) -> Submission:
    data: dict[str, Any] = {
        "council": w.council,
        "reference": "125/TTr-UBND",
        "title": "Tờ trình về dự toán ngân sách địa phương năm 2024",
        "submitted_by": w.agency,
        "received_on": dt.date(2023, 11, 20),
        "field": Field.BUDGET,
        "kind": Kind.INDIVIDUAL,
        "status": SubmissionStatus.ON_AGENDA,
        "agenda_item": w.item,
    }
    data.update(kwargs)
    return Submission.objects.create(**data)


def make_resolution(council: Council, **kwargs: Any) -> Resolution:
    manual = kwargs.pop("manual_number", None)
    adopted = kwargs.pop("adopted_on", ADOPTED)
    kind = kwargs.pop("kind", Kind.INDIVIDUAL)
    data: dict[str, Any] = {
        "council": council,
        "issuer": Issuer.COUNCIL,
        "kind": kind,
        "title": "Về việc thử nghiệm",
        "field": Field.OTHER,
        "adopted_on": adopted,
        "effective_from": adopted + dt.timedelta(days=10 if kind == Kind.NORMATIVE else 0),
    }
    data.update(kwargs)
    return resolution_save(resolution=Resolution(**data), manual_number=manual)


@pytest.fixture
def hy(db: Any) -> Council4:
    return council_world()
