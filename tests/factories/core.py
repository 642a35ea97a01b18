"""factory_boy factories for the core records (councils, terms, people, roles, and the records
every app attaches: documents, attachments, follow-ups, activity reports)."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from councilportal.models import (
    ActivityReport,
    Agency,
    AgencyKind,
    Attachment,
    Council,
    CouncilLevel,
    Delegate,
    FollowUp,
    GeneratedDocument,
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


class _AttachedTo(factory.django.DjangoModelFactory):
    """A record attached to another by a generic relation: pass `source=` (the record)."""

    class Meta:
        abstract = True

    class Params:
        source = None

    source_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.source))
    source_id = factory.LazyAttribute(lambda o: o.source.pk)


class GeneratedDocumentFactory(_AttachedTo):
    class Meta:
        model = GeneratedDocument

    council = factory.SubFactory(CouncilFactory)
    kind = "core.term-roster"
    title = factory.LazyAttribute(lambda o: f"Danh sách đại biểu {o.council.name}")


class FollowUpFactory(_AttachedTo):
    class Meta:
        model = FollowUp

    council = factory.SubFactory(CouncilFactory)
    content = factory.LazyAttribute(lambda o: f"Nhiệm vụ {o.council.code}")
    to_council = factory.SelfAttribute("council")
    sent_on = dt.date(2023, 3, 1)
    due_date = dt.date(2100, 6, 1)


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A stored attachment's row (its file is not written: pass `owner=`, the record)."""

    class Meta:
        model = Attachment

    class Params:
        owner = None

    council = factory.SubFactory(CouncilFactory)
    owner_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.owner))
    owner_id = factory.LazyAttribute(lambda o: o.owner.pk)
    title = factory.LazyAttribute(lambda o: f"Tài liệu {o.council.code}")
    file = factory.LazyAttribute(lambda o: f"attachments/{o.council.code}.pdf")
    original_name = factory.LazyAttribute(lambda o: f"{o.council.code}.pdf")
    content_type = "application/pdf"
    size = 1
    sha256 = "0" * 64


class ActivityReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityReport

    council = factory.SubFactory(CouncilFactory)
    period_start = dt.date(2023, 1, 1)
    period_end = dt.date(2023, 3, 1)
