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


def supervision_objects(
    council: Any, organ: Any, delegate: Any, agency: Any, session: Any
) -> dict[type, Any]:
    code = council.code
    programme = Programme.objects.create(
        council=council, owner="council", year=2023, title=f"Chương trình giám sát {code}"
    )
    item = ProgrammeItem.objects.create(
        programme=programme,
        topic=f"Giám sát chuyên đề {code}",
        form="thematic",
        planned_start=dt.date(2023, 3, 1),
        planned_end=dt.date(2023, 6, 30),
    )
    activity = Activity.objects.create(
        council=council,
        item=item,
        title=f"Đoàn giám sát {code}",
        form="thematic",
        decision_date=dt.date(2023, 3, 6),
    )
    services.milestones_plan(activity)
    body = SupervisedBody.objects.create(activity=activity, agency=agency)
    visit = FieldVisit.objects.create(
        activity=activity, date=dt.date(2023, 4, 10), place=f"Khảo sát {code}"
    )
    questioning = Questioning.objects.create(
        council=council,
        kind="session",
        session=session,
        held_on=session.planned_start,
        title=f"Chất vấn {code}",
    )
    question = Question.objects.create(
        questioning=questioning,
        delegate=delegate,
        respondent=f"Giám đốc {code}",
        mode="oral",
        asked_on=session.planned_start,
        content=f"Câu hỏi {code}",
    )
    explanation = Explanation.objects.create(
        council=council, organ=organ, topic=f"Giải trình {code}", held_on=dt.date(2023, 5, 5)
    )
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
