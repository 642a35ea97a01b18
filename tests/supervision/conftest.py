"""Helpers of the supervision tests: a province council with its Standing Committee, a
committee, delegates, agencies, a session, and a clerk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from councilportal.models import Agency, Council, CouncilLevel, Delegate, Organ, OrganKind, Term
from sessions.models import Session

from .. import factories as f


@dataclass
class Province:
    council: Council
    term: Term
    standing: Organ
    committee: Organ
    delegates: list[Delegate]
    agencies: list[Agency]
    session: Session
    clerk: Any


def province(code: str = "HY", name: str = "HĐND tỉnh Hưng Yên") -> Province:
    council = f.CouncilFactory(
        code=code,
        name=name,
        level=CouncilLevel.PROVINCE,
        place_name="Hưng Yên",
        administrative_name="TỈNH HƯNG YÊN",
    )
    term = f.TermFactory(council=council)
    standing = f.OrganFactory(
        term=term, council=council, kind=OrganKind.STANDING_COMMITTEE, name="Thường trực HĐND"
    )
    committee = f.OrganFactory(
        term=term, council=council, kind=OrganKind.CULTURE_SOCIAL, name="Ban Văn hóa - Xã hội"
    )
    delegates = [
        f.DelegateFactory(term=term, full_name=n)
        for n in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường")
    ]
    f.MembershipFactory(organ=standing, delegate=delegates[0], position="chair")
    agencies = [
        f.AgencyFactory(council=council, name=n)
        for n in ("Sở Y tế", "Sở Giáo dục và Đào tạo", "UBND tỉnh Hưng Yên")
    ]
    session = f.SessionFactory(council=council, term=term, ordinal=13, title="")
    clerk = f.UserFactory(username=f"clerk-{code}", email=f"clerk-{code}@example.org")
    f.RoleFactory(user=clerk, council=council, role="clerk")
    return Province(council, term, standing, committee, delegates, agencies, session, clerk)


@pytest.fixture
def hy(db: Any) -> Province:
    return province()
