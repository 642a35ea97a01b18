"""One record of each supervision model that has a page, for the access matrix (tests/conftest.py
`_objects_of`): every title names its council's code, so a leak shows in the page body."""

from __future__ import annotations

import datetime as dt
from typing import Any

from supervision import services
from supervision.models import (
    Activity,
    Explanation,
    FieldVisit,
    Programme,
    ProgrammeItem,
    Question,
    Questioning,
    SupervisedBody,
)

from .. import factories as f


def supervision_objects(
    council: Any, organ: Any, delegate: Any, agency: Any, session: Any
) -> dict[type, Any]:
    code = council.code
    programme = f.ProgrammeFactory(council=council)
    item = f.ProgrammeItemFactory(programme=programme)
    activity = f.ActivityFactory(council=council, item=item)
    services.milestones_plan(activity)
    body = f.SupervisedBodyFactory(activity=activity, agency=agency)
    visit = f.FieldVisitFactory(activity=activity)
    questioning = f.QuestioningFactory(council=council, session=session)
    question = f.QuestionFactory(questioning=questioning, delegate=delegate)
    explanation = f.ExplanationFactory(council=council, organ=organ)
    recommendation = services.recommendations_add(
        source=activity,
        agencies=[agency],
        content=f"Kiến nghị {code}",
        issued_on=dt.date(2023, 6, 1),
        due=dt.date(2100, 1, 1),
    )[0]
    return {
        Programme: programme,
        ProgrammeItem: item,
        Activity: activity,
        SupervisedBody: body,
        FieldVisit: visit,
        type(activity.milestones.first()): activity.milestones.order_by("order").last(),
        Questioning: questioning,
        Question: question,
        Explanation: explanation,
        type(recommendation): recommendation,
    }
