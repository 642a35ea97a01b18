"""factory_boy factories for the sessions app: sessions, sittings, agenda items, votes,
confidence votes and meetings. Dates are those of a year-end session (07–09/12/2023)."""

from __future__ import annotations

import datetime as dt

import factory

from sessions.models import AgendaItem, ConfidenceVote, Meeting, Session, Sitting, Vote

from .core import CouncilFactory, TermFactory


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    council = factory.SubFactory(CouncilFactory)
    term = factory.SubFactory(TermFactory, council=factory.SelfAttribute("..council"))
    ordinal = factory.Sequence(lambda n: n % 30 + 1)
    kind = "regular_end"
    title = factory.LazyAttribute(lambda o: f"Kỳ họp {o.council.code}")
    planned_start = dt.date(2023, 12, 7)
    planned_end = dt.date(2023, 12, 9)


class SittingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sitting

    session = factory.SubFactory(SessionFactory)
    date = factory.SelfAttribute("session.planned_start")


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    session = factory.SubFactory(SessionFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = "submission"
    title = factory.LazyAttribute(lambda o: f"Tờ trình {o.session.council.code}")


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    item = factory.SubFactory(AgendaItemFactory)
    subject = factory.LazyAttribute(lambda o: f"Biểu quyết {o.item.session.council.code}")
    held_on = dt.date(2023, 12, 8)
    total_delegates = 1
    votes_for = 1


class ConfidenceVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConfidenceVote

    session = factory.SubFactory(SessionFactory)
    held_on = dt.date(2023, 12, 8)
    total_delegates = 1


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    council = factory.SubFactory(CouncilFactory)
    kind = "liaison"
    title = factory.LazyAttribute(lambda o: f"Giao ban {o.council.code}")
    date = dt.date(2023, 3, 1)
