"""factory_boy factories for the resolutions app: submissions, resolutions and the relations
between resolutions."""

from __future__ import annotations

import datetime as dt

import factory

from resolutions.models import Resolution, ResolutionRelation, Submission

from .core import CouncilFactory


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    council = factory.SubFactory(CouncilFactory)
    reference = factory.Sequence(lambda n: f"{n + 1}/TTr-UBND")
    title = factory.LazyAttribute(lambda o: f"Tờ trình {o.council.code}")
    received_on = dt.date(2023, 11, 1)
    field = "budget"


class ResolutionFactory(factory.django.DjangoModelFactory):
    """A resolution stored as is (numbered by hand, no service): for a world to read."""

    class Meta:
        model = Resolution

    council = factory.SubFactory(CouncilFactory)
    kind = "individual"
    number = factory.Sequence(lambda n: n + 1)
    year = 2023
    title = factory.LazyAttribute(lambda o: f"Nghị quyết {o.council.code}")
    field = "budget"
    adopted_on = dt.date(2023, 12, 8)
    effective_from = factory.SelfAttribute("adopted_on")


class ResolutionRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResolutionRelation

    source = factory.SubFactory(ResolutionFactory)
    target = factory.SubFactory(
        ResolutionFactory, council=factory.SelfAttribute("..source.council"), year=2022
    )
    kind = "replaces"
    effective_from = factory.SelfAttribute("source.effective_from")
