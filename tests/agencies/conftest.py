"""A small scene for the agency workspace: a province, its People's Committee office and one
department below it, their people, the province's clerk, and items sent to the department."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from agencies.models import AgencyMembership, AgencyRole
from councilportal.models import AgencyKind

from .. import factories as f


@dataclass
class Office:
    council: Any
    committee: Any
    department: Any
    officer: Any
    head: Any
    clerk: Any
    term: Any

    def item(self, *, sent: dt.date, due: dt.date, content: str = "Việc cần trả lời") -> Any:
        return f.FollowUpFactory(
            council=self.council,
            source=self.term,
            to_council=None,
            to_agency=self.department,
            sent_on=sent,
            due_date=due,
            content=content,
        )


@pytest.fixture
def office(db: Any) -> Office:
    council = f.CouncilFactory(code="HN", name="HĐND tỉnh Hà Nam Thử")
    committee = f.AgencyFactory(
        council=council, name="Văn phòng UBND tỉnh", kind=AgencyKind.PEOPLES_COMMITTEE
    )
    department = f.AgencyFactory(council=council, name="Sở Tài nguyên", parent=committee)
    officer = f.UserFactory(username="canbo.so", email="canbo@example.org")
    head = f.UserFactory(username="vanphong.ubnd", email="vp@example.org")
    clerk = f.UserFactory(username="chuyenvien.hn", email="cv@example.org")
    AgencyMembership.objects.create(user=officer, agency=department, role=AgencyRole.OFFICER)
    AgencyMembership.objects.create(user=head, agency=committee, role=AgencyRole.HEAD)
    f.RoleFactory(user=clerk, council=council, role="clerk")
    return Office(
        council, committee, department, officer, head, clerk, f.TermFactory(council=council)
    )
