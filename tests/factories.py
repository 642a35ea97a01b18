"""factory_boy factories for the core records."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from councilportal.models import (
    Agency,
    AgencyKind,
    Council,
    CouncilLevel,
    Delegate,
    Membership,
    Organ,
    OrganKind,
    Position,
    RoleAssignment,
    Term,
)


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    name = factory.Sequence(lambda n: f"HĐND tỉnh Thử Nghiệm {n}")
    code = factory.Sequence(lambda n: f"T{n}")
    level = CouncilLevel.PROVINCE
    place_name = "Thử Nghiệm"
    administrative_name = "TỈNH THỬ NGHIỆM"


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    council = factory.SubFactory(CouncilFactory)
    ordinal = 17
    name = "Khóa XVII"
    start_date = dt.date(2021, 6, 25)
    end_date = dt.date(2026, 6, 30)


class OrganFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organ

    term = factory.SubFactory(TermFactory)
    council = factory.SelfAttribute("term.council")
    kind = OrganKind.LEGAL
    name = factory.Sequence(lambda n: f"Ban Pháp chế {n}")


class DelegateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegate

    term = factory.SubFactory(TermFactory)
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Đại Biểu {n}")
    electoral_unit = "Đơn vị bầu cử số 1"
    start_date = factory.SelfAttribute("term.start_date")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organ = factory.SubFactory(OrganFactory)
    delegate = factory.SubFactory(DelegateFactory, term=factory.SelfAttribute("..organ.term"))
    position = Position.MEMBER
    start_date = factory.SelfAttribute("organ.term.start_date")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Sở Thử Nghiệm {n}")
    kind = AgencyKind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Secret-pass-2026")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    council = factory.SubFactory(CouncilFactory)
    role = "clerk"
