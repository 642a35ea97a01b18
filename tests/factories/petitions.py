"""factory_boy factories for the petitions app: reception schedules and records, petitions and
their items, voters' meetings and recommendations. Rows as stored, without the services'
numbering or identity encryption (a denouncer's identity: petitions.services.petition_receive)."""

from __future__ import annotations

import datetime as dt

import factory

from petitions.models import (
    Petition,
    PetitionItem,
    ReceptionRecord,
    ReceptionSchedule,
    VoterMeeting,
    VoterRecommendation,
)

from .core import CouncilFactory
from .sessions import SessionFactory


class ReceptionScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceptionSchedule

    council = factory.SubFactory(CouncilFactory)
    date = dt.date(2023, 3, 15)
    place = factory.LazyAttribute(lambda o: f"Trụ sở {o.council.code}")
    receivers = "TT"


class ReceptionRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceptionRecord

    schedule = factory.SubFactory(ReceptionScheduleFactory)
    council = factory.SelfAttribute("schedule.council")
    date = factory.SelfAttribute("schedule.date")
    received_by = "TT"
    summary = factory.LazyAttribute(lambda o: f"Tiếp dân {o.council.code}")


class PetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Petition

    council = factory.SubFactory(CouncilFactory)
    number = factory.Sequence(lambda n: n + 1)
    year = 2023
    channel = "post"
    received_on = dt.date(2023, 3, 1)
    subject = factory.LazyAttribute(lambda o: f"Đơn {o.council.code}")


class PetitionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PetitionItem

    petition = factory.SubFactory(PetitionFactory)
    kind = "complaint"
    field = "land"
    content = factory.LazyAttribute(lambda o: f"Nội dung {o.petition.council.code}")


class VoterMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VoterMeeting

    session = factory.SubFactory(SessionFactory)
    council = factory.SelfAttribute("session.council")
    timing = "before"
    electoral_unit = "Đơn vị 1"
    place = factory.LazyAttribute(lambda o: f"Nhà văn hóa {o.council.code}")
    date = dt.date(2023, 11, 20)
    delegates_attending = "ĐB"


class VoterRecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VoterRecommendation

    session = factory.SubFactory(SessionFactory)
    council = factory.SelfAttribute("session.council")
    content = factory.LazyAttribute(lambda o: f"Kiến nghị {o.council.code}")
    field = "land"
