"""factory_boy factories for the supervision app: programmes and their items, activities with
their supervised bodies and field visits, questionings and questions, explanations. Rows as
stored (an activity's milestones: supervision.services.milestones_plan)."""

from __future__ import annotations

import datetime as dt

import factory

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

from .core import AgencyFactory, CouncilFactory, DelegateFactory, OrganFactory
from .sessions import SessionFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    council = factory.SubFactory(CouncilFactory)
    owner = "council"
    year = 2023
    title = factory.LazyAttribute(lambda o: f"Chương trình giám sát {o.council.code}")


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    programme = factory.SubFactory(ProgrammeFactory)
    topic = factory.LazyAttribute(lambda o: f"Giám sát chuyên đề {o.programme.council.code}")
    form = "thematic"
    planned_start = dt.date(2023, 3, 1)
    planned_end = dt.date(2023, 6, 30)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    council = factory.SubFactory(CouncilFactory)
    title = factory.LazyAttribute(lambda o: f"Đoàn giám sát {o.council.code}")
    form = "thematic"
    decision_date = dt.date(2023, 3, 6)


class SupervisedBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisedBody

    activity = factory.SubFactory(ActivityFactory)
    agency = factory.SubFactory(AgencyFactory, council=factory.SelfAttribute("..activity.council"))


class FieldVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldVisit

    activity = factory.SubFactory(ActivityFactory)
    date = dt.date(2023, 4, 10)
    place = factory.LazyAttribute(lambda o: f"Khảo sát {o.activity.council.code}")


class QuestioningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questioning

    session = factory.SubFactory(SessionFactory)
    council = factory.SelfAttribute("session.council")
    kind = "session"
    held_on = factory.SelfAttribute("session.planned_start")
    title = factory.LazyAttribute(lambda o: f"Chất vấn {o.council.code}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    questioning = factory.SubFactory(QuestioningFactory)
    delegate = factory.SubFactory(
        DelegateFactory, term=factory.SelfAttribute("..questioning.session.term")
    )
    respondent = factory.LazyAttribute(lambda o: f"Giám đốc {o.questioning.council.code}")
    mode = "oral"
    asked_on = factory.SelfAttribute("questioning.held_on")
    content = factory.LazyAttribute(lambda o: f"Câu hỏi {o.questioning.council.code}")


class ExplanationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Explanation

    organ = factory.SubFactory(OrganFactory)
    council = factory.SelfAttribute("organ.council")
    topic = factory.LazyAttribute(lambda o: f"Giải trình {o.council.code}")
    held_on = dt.date(2023, 5, 5)
