"""Shared fixtures: a small council world and the named personas.

World: province P (Hưng Yên-like) with commune C below it; a foreign province F that no persona
but the superuser reaches. Personas: province clerk, commune clerk, leader, petition handler,
delegate, outsider (clerk of F2, an unrelated province), administrator of P, anonymous.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from councilportal.models import (
    ActivityReport,
    Attachment,
    CouncilLevel,
    FollowUp,
    GeneratedDocument,
)
from petitions.models import (
    Petition,
    PetitionItem,
    ReceptionRecord,
    ReceptionSchedule,
    VoterMeeting,
    VoterRecommendation,
)
from resolutions.models import Resolution, ResolutionRelation, Submission
from sessions.models import AgendaItem, ConfidenceVote, Meeting, Session, Sitting, Vote

from . import factories as f

PERSONA_NAMES = [
    "province_clerk",
    "commune_clerk",
    "leader",
    "handler",
    "delegate",
    "outsider",
    "council_admin",
]


@dataclass
class World:
    province: Any
    commune: Any
    foreign: Any
    outsider_home: Any
    users: dict[str, Any]
    foreign_objects: dict[type, Any]
    own_objects: dict[type, Any]


def _objects_of(council: Any) -> dict[type, Any]:
    term = f.TermFactory(council=council)
    organ = f.OrganFactory(term=term, council=council)
    delegate = f.DelegateFactory(term=term, full_name=f"Đại biểu {council.code}")
    membership = f.MembershipFactory(organ=organ, delegate=delegate)
    agency = f.AgencyFactory(council=council, name=f"Cơ quan {council.code}")
    document = GeneratedDocument.objects.create(
        kind="core.term-roster",
        title=f"Danh sách đại biểu {council.name}",
        council=council,
        source_type=ContentType.objects.get_for_model(term),
        source_id=term.pk,
    )
    session = Session.objects.create(
        council=council,
        term=term,
        ordinal=3,
        kind="regular_end",
        title=f"Kỳ họp {council.code}",
        planned_start=dt.date(2023, 12, 7),
        planned_end=dt.date(2023, 12, 9),
    )
    sitting = Sitting.objects.create(session=session, date=dt.date(2023, 12, 7))
    item = AgendaItem.objects.create(
        session=session, position=1, kind="submission", title=f"Tờ trình {council.code}"
    )
    vote = Vote.objects.create(
        item=item,
        subject=f"Biểu quyết {council.code}",
        held_on=dt.date(2023, 12, 8),
        total_delegates=1,
        votes_for=1,
    )
    confidence = ConfidenceVote.objects.create(
        session=session, held_on=dt.date(2023, 12, 8), total_delegates=1
    )
    meeting = Meeting.objects.create(
        council=council, kind="liaison", title=f"Giao ban {council.code}", date=dt.date(2023, 3, 1)
    )
    attachment = Attachment.objects.create(
        council=council,
        owner_type=ContentType.objects.get_for_model(item),
        owner_id=item.pk,
        title=f"Tài liệu {council.code}",
        file=f"attachments/{council.code}.pdf",
        original_name=f"{council.code}.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    follow_up = FollowUp.objects.create(
        council=council,
        source_type=ContentType.objects.get_for_model(session),
        source_id=session.pk,
        content=f"Nhiệm vụ {council.code}",
        to_council=council,
        sent_on=dt.date(2023, 3, 1),
        due_date=dt.date(2100, 6, 1),
    )
    schedule = ReceptionSchedule.objects.create(
        council=council, date=dt.date(2023, 3, 15), place=f"Trụ sở {council.code}", receivers="TT"
    )
    record = ReceptionRecord.objects.create(
        council=council,
        schedule=schedule,
        date=dt.date(2023, 3, 15),
        received_by="TT",
        summary=f"Tiếp dân {council.code}",
    )
    petition = Petition.objects.create(
        council=council,
        number=1,
        year=2023,
        channel="post",
        received_on=dt.date(2023, 3, 1),
        subject=f"Đơn {council.code}",
    )
    petition_item = PetitionItem.objects.create(
        petition=petition, kind="complaint", field="land", content=f"Nội dung {council.code}"
    )
    voter_meeting = VoterMeeting.objects.create(
        council=council,
        session=session,
        timing="before",
        electoral_unit="Đơn vị 1",
        place=f"Nhà văn hóa {council.code}",
        date=dt.date(2023, 11, 20),
        delegates_attending="ĐB",
    )
    recommendation = VoterRecommendation.objects.create(
        council=council, session=session, content=f"Kiến nghị {council.code}", field="land"
    )
    submission = Submission.objects.create(
        council=council,
        reference=f"1/TTr-{council.code}",
        title=f"Tờ trình {council.code}",
        received_on=dt.date(2023, 11, 1),
        field="budget",
        status="on_agenda",
        agenda_item=item,
    )
    resolution = Resolution.objects.create(
        council=council,
        kind="individual",
        number=1,
        year=2023,
        title=f"Nghị quyết {council.code}",
        field="budget",
        session=session,
        adopted_on=dt.date(2023, 12, 8),
        effective_from=dt.date(2023, 12, 8),
    )
    earlier = Resolution.objects.create(
        council=council,
        kind="individual",
        number=2,
        year=2022,
        title=f"Nghị quyết cũ {council.code}",
        field="budget",
        adopted_on=dt.date(2022, 12, 8),
        effective_from=dt.date(2022, 12, 8),
    )
    relation = ResolutionRelation.objects.create(
        source=resolution, target=earlier, kind="replaces", effective_from=dt.date(2023, 12, 8)
    )
    report = ActivityReport.objects.create(
        council=council, period_start=dt.date(2023, 1, 1), period_end=dt.date(2023, 3, 1)
    )
    from .supervision.objects import supervision_objects

    return {
        ReceptionSchedule: schedule,
        ReceptionRecord: record,
        Petition: petition,
        PetitionItem: petition_item,
        VoterMeeting: voter_meeting,
        VoterRecommendation: recommendation,
        **supervision_objects(council, organ, delegate, agency, session),
        ActivityReport: report,
        Submission: submission,
        Resolution: resolution,
        ResolutionRelation: relation,
        FollowUp: follow_up,
        Session: session,
        Sitting: sitting,
        AgendaItem: item,
        Vote: vote,
        ConfidenceVote: confidence,
        Meeting: meeting,
        Attachment: attachment,
        GeneratedDocument: document,
        type(council): council,
        type(term): term,
        type(organ): organ,
        type(delegate): delegate,
        type(membership): membership,
        type(agency): agency,
    }


@pytest.fixture(scope="session", autouse=True)
def _test_settings() -> None:
    """Production-shaped settings (DEBUG off) over plain HTTP and without collectstatic: no
    HTTPS redirect, no secure-only cookies, no HSTS (a browser would remember it for localhost).
    Session-wide and before the live server starts, whose middleware reads them once."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Secrets as in the demo: generated under VAR_DIR (a process started by a test gets them
    # explicitly: tests/faults/processes.py, production_secrets()).
    settings.DEMO = True
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0
    # Two-step log-in has its own tests (tests/core/test_two_factor.py, the handler's demo
    # journey) which set the roles; elsewhere a handler logs in with the password alone.
    # Superusers and staff always need it: `login` below gives them a verified session.
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _rules_after_flush(request: Any) -> None:
    """Transactional tests flush every table between tests, rules loaded by the data
    migration included: load them again (the migration's own loader, idempotent)."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(names & {"transactional_db", "live_server"}) or bool(
        marker and marker.kwargs.get("transaction")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker or "db" in names:
        request.getfixturevalue("db")
    else:
        return
    from django.apps import apps

    from councilportal.models import Rule

    if not Rule.objects.exists():
        for module in _rule_migrations():
            module.load(apps, None)


def _rule_migrations() -> list[Any]:
    """Every data migration that loads rules (a module with RULES and load()), of every app."""
    import importlib
    import pkgutil

    from councilportal.apps import app_modules

    found = []
    for package in app_modules("migrations"):
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            if hasattr(module, "RULES") and hasattr(module, "load"):
                found.append(module)
    return found


@pytest.fixture
def world(db: Any) -> World:
    province = f.CouncilFactory(code="P", name="HĐND tỉnh Phố Núi", level=CouncilLevel.PROVINCE)
    commune = f.CouncilFactory(
        code="P-C", name="HĐND xã Cây Đa", level=CouncilLevel.COMMUNE, parent=province
    )
    foreign = f.CouncilFactory(code="F", name="HĐND tỉnh Bí Mật", level=CouncilLevel.PROVINCE)
    foreign_commune = f.CouncilFactory(
        code="F-C", name="HĐND xã Kín Đáo", level=CouncilLevel.COMMUNE, parent=foreign
    )
    outsider_home = f.CouncilFactory(code="O", name="HĐND tỉnh Ngoài", level=CouncilLevel.PROVINCE)
    users = {name: f.UserFactory(username=name) for name in PERSONA_NAMES}
    f.RoleFactory(user=users["province_clerk"], council=province, role="clerk")
    f.RoleFactory(user=users["commune_clerk"], council=commune, role="clerk")
    f.RoleFactory(user=users["leader"], council=province, role="leader")
    f.RoleFactory(user=users["handler"], council=province, role="handler")
    f.RoleFactory(user=users["delegate"], council=province, role="delegate")
    f.RoleFactory(user=users["outsider"], council=outsider_home, role="clerk")
    f.RoleFactory(user=users["council_admin"], council=province, role="admin")
    foreign_objects = _objects_of(foreign_commune)
    foreign_objects[type(foreign)] = foreign_commune
    own_objects = _objects_of(commune)
    _objects_of(province)
    return World(province, commune, foreign, outsider_home, users, foreign_objects, own_objects)


def log_in(client: Any, user: Any) -> Any:
    """A whole log-in: the password step skipped (force_login) and, for a user who must use
    two-step log-in (superusers, staff), the code step done with a real confirmed device, as
    after typing its code (django-otp's session key)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from councilportal.security.two_factor import required_for

    client.force_login(user)
    if required_for(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def login(client: Any) -> Any:
    def _login(user: Any) -> Any:
        return log_in(client, user)

    return _login


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    """On CI (FAIL_ON_SKIP=1) a skipped test fails the run: nothing may silently not run."""
    skipped = terminalreporter.stats.get("skipped", [])
    if os.environ.get("FAIL_ON_SKIP") == "1" and skipped:
        terminalreporter.write_line(f"FAIL_ON_SKIP: {len(skipped)} test(s) were skipped", red=True)
        config._fail_on_skip = True


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    if os.environ.get("FAIL_ON_SKIP") == "1":
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None and reporter.stats.get("skipped"):
            session.exitstatus = 1


@pytest.fixture
def workers(transactional_db: Any, settings: Any, tmp_path: Any) -> Any:
    """Real Celery worker processes on the test database (tests/faults/processes.py)."""
    from .faults.processes import worker_pool

    with worker_pool(settings, tmp_path) as pool:
        yield pool
