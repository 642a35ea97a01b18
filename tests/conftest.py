"""Shared fixtures: a small council world and the named personas.

World: province P (Hưng Yên-like) with commune C below it; a foreign province F that no persona
but the superuser reaches. Personas: province clerk, commune clerk, leader, petition handler,
delegate, outsider (clerk of F2, an unrelated province), administrator of P, anonymous.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from councilportal.models import (
    ActivityReport,
    Attachment,
    CouncilLevel,
    Delegate,
    FollowUp,
    GeneratedDocument,
)
from liaison.models import CouncilReport, ReportingRound
from petitions.models import (
    Petition,
    PetitionItem,
    ReceptionRecord,
    ReceptionSchedule,
    VoterMeeting,
    VoterRecommendation,
)
from resolutions.models import Resolution, ResolutionRelation, Submission
from sessions.models import (
    AgendaItem,
    ConfidenceVote,
    ElectronicVote,
    Meeting,
    Minutes,
    Session,
    Sitting,
    SpeakingRequest,
    Vote,
)

from . import factories as f

# agency personas: users of agencies (no role on any council; the agency workspace only).
AGENCY_PERSONAS = ["agency_officer", "agency_head"]

PERSONA_NAMES = [
    "province_clerk",
    "commune_clerk",
    "leader",
    "handler",
    "delegate",
    "outsider",
    "council_admin",
    *AGENCY_PERSONAS,
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
    code = council.code
    term = f.TermFactory(council=council)
    organ = f.OrganFactory(term=term, council=council)
    delegate = f.DelegateFactory(term=term, full_name=f"Đại biểu {code}")
    membership = f.MembershipFactory(organ=organ, delegate=delegate)
    agency = f.AgencyFactory(council=council, name=f"Cơ quan {code}")
    document = f.GeneratedDocumentFactory(council=council, source=term)
    session = f.SessionFactory(council=council, term=term, ordinal=3)
    sitting = f.SittingFactory(session=session)
    item = f.AgendaItemFactory(session=session, position=1)
    vote = f.VoteFactory(item=item)
    confidence = f.ConfidenceVoteFactory(session=session)
    meeting = f.MeetingFactory(council=council)
    minutes = Minutes.objects.create(session=session, council=council)
    attachment = f.AttachmentFactory(council=council, owner=item)
    follow_up = f.FollowUpFactory(council=council, source=session)
    schedule = f.ReceptionScheduleFactory(council=council)
    record = f.ReceptionRecordFactory(schedule=schedule)
    petition = f.PetitionFactory(council=council, number=1)
    petition_item = f.PetitionItemFactory(petition=petition)
    voter_meeting = f.VoterMeetingFactory(session=session)
    recommendation = f.VoterRecommendationFactory(session=session)
    submission = f.SubmissionFactory(
        council=council, reference=f"1/TTr-{code}", status="on_agenda", agenda_item=item
    )
    resolution = f.ResolutionFactory(council=council, number=1, session=session)
    earlier = f.ResolutionFactory(
        council=council,
        number=2,
        year=2022,
        title=f"Nghị quyết cũ {code}",
        adopted_on=dt.date(2022, 12, 8),
    )
    relation = f.ResolutionRelationFactory(source=resolution, target=earlier)
    report = f.ActivityReportFactory(council=council)
    # liaison: a round of the council (its liaison meeting) and the council's own report in it
    liaison_round = ReportingRound.objects.create(
        council=council,
        meeting=meeting,
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 2, 28),
        deadline=dt.date(2023, 2, 22),
    )
    council_report = CouncilReport.objects.create(round=liaison_round, council=council)
    # end liaison
    from .supervision.objects import supervision_objects

    # delegates: the paperless session (issue 19): an electronic vote and a speaking request.
    evote = ElectronicVote.objects.create(
        item=item, question=f"Biểu quyết điện tử {code}", held_on=session.planned_start
    )
    speech = SpeakingRequest.objects.create(
        item=item, delegate=delegate, topic=f"Phát biểu {code}", position=1
    )
    # end delegates

    return {
        ElectronicVote: evote,
        SpeakingRequest: speech,
        ReceptionSchedule: schedule,
        ReceptionRecord: record,
        Petition: petition,
        PetitionItem: petition_item,
        VoterMeeting: voter_meeting,
        VoterRecommendation: recommendation,
        **supervision_objects(council, organ, delegate, agency, session),
        ActivityReport: report,
        ReportingRound: liaison_round,  # liaison
        CouncilReport: council_report,  # liaison
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
        Minutes: minutes,
        Attachment: attachment,
        GeneratedDocument: document,
        type(council): council,
        type(term): term,
        type(organ): organ,
        type(delegate): delegate,
        type(membership): membership,
        type(agency): agency,
    }


def agency_objects(council: Any, agency: Any = None) -> dict[type, Any]:
    """An item sent to an agency of the council, its answer awaiting the council and a request
    for more time (the agency workspace's records, for the access matrix)."""
    from agencies.models import AgencyAnswer, AgencyMembership, AgencyRole, ExtensionRequest
    from councilportal.models import Agency

    code = council.code
    agency = agency or Agency.objects.get(council=council, name=f"Cơ quan {code}")
    user = f.UserFactory(username=f"can-bo-{code.lower()}")
    AgencyMembership.objects.get_or_create(
        user=user, agency=agency, defaults={"role": AgencyRole.OFFICER}
    )
    term = council.terms.first() or f.TermFactory(council=council)
    follow_up = f.FollowUpFactory(
        council=council,
        source=term,
        to_council=None,
        to_agency=agency,
        content=f"Việc gửi cơ quan {code}",
    )
    answer = AgencyAnswer.objects.create(
        follow_up=follow_up,
        agency=agency,
        text=f"Trả lời của cơ quan {code}",
        proposed_status="partly_done",
        progress=50,
        submitted_by=user,
        submitted_on=dt.date(2023, 3, 10),
    )
    extension = ExtensionRequest.objects.create(
        follow_up=follow_up,
        agency=agency,
        reason=f"Xin gia hạn {code}",
        proposed_date=dt.date(2100, 12, 1),
        requested_by=user,
        requested_on=dt.date(2023, 3, 11),
    )
    return {AgencyAnswer: answer, ExtensionRequest: extension}


@pytest.fixture(scope="session", autouse=True)
def _processes_run_production_settings() -> Iterator[None]:
    """The test process runs councilportal/settings_test.py (pyproject); a process a test starts
    (a worker, gunicorn, manage.py) runs production's settings module, as it would for real."""
    before = os.environ.get("DJANGO_SETTINGS_MODULE")
    os.environ["DJANGO_SETTINGS_MODULE"] = "councilportal.settings"
    yield
    if before is not None:
        os.environ["DJANGO_SETTINGS_MODULE"] = before


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploads and generated PDFs go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def eager_jobs(media: Path) -> Iterator[None]:
    """Celery runs jobs in the test process (in a plain test when its transaction commits, which
    it never does; in the live server's thread, which has no worker of its own). Real worker
    processes: the `workers` fixture below."""
    from councilportal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _site_language() -> Any:
    """Each test starts in the site's language (vi), whatever the test before it left active: a
    request through the language switch leaves English active in the thread, and messages built
    outside a request (services' errors) would follow it. Parallel runs make the order vary."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.deactivate()


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
    _load_rules_if_flushed()


def _load_rules_if_flushed() -> None:
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


def build_world() -> World:
    """Five councils (three with records of every app) and the personas."""
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
    province_objects = _objects_of(province)
    # delegates: the delegate persona is a delegate of the province's register, linked to its
    # account (issue 19: they read, speak and vote as that delegate).
    linked = province_objects[Delegate]
    linked.user = users["delegate"]
    linked.save()
    # end delegates
    # agency personas ------------------------------------------------------------------------
    # The officer of a department of the province and the head of the province's People's
    # Committee office, the department's parent agency; each council with records has an item
    # sent to an agency, an answer awaiting the council and a request for more time.
    from agencies.models import AgencyMembership, AgencyRole
    from councilportal.models import AgencyKind

    committee = f.AgencyFactory(
        council=province, name="Văn phòng UBND tỉnh Phố Núi", kind=AgencyKind.PEOPLES_COMMITTEE
    )
    department = f.AgencyFactory(council=province, name="Sở Xây dựng Phố Núi", parent=committee)
    users["agency_officer"] = f.UserFactory(username="agency_officer")
    users["agency_head"] = f.UserFactory(username="agency_head")
    AgencyMembership.objects.create(
        user=users["agency_officer"], agency=department, role=AgencyRole.OFFICER
    )
    AgencyMembership.objects.create(
        user=users["agency_head"], agency=committee, role=AgencyRole.HEAD
    )
    foreign_objects.update(agency_objects(foreign_commune))
    own_objects.update(agency_objects(commune))
    agency_objects(province, department)
    # -----------------------------------------------------------------------------------------
    return World(province, commune, foreign, outsider_home, users, foreign_objects, own_objects)


@pytest.fixture
def world(db: Any) -> World:
    """The world for one test, which may change it."""
    return build_world()


@pytest.fixture(scope="module")
def shared_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """The world built once for a module whose tests only read it (the access and export
    matrices), in a transaction of its own rolled back after the module's last test. Each test
    still runs in a savepoint rolled back after it (pytest-django's `db`): what one writes (a
    log-in's last_login, a session) never reaches the next."""
    with shared_data(django_db_blocker):
        with django_db_blocker.unblock():
            built = build_world()
        yield built


@pytest.fixture(scope="module")
def persona_clients(shared_world: World, django_db_blocker: Any) -> dict[str, Any]:
    """A client logged in as each persona of the shared world, once for the module: the session
    rows live in the module's transaction (`shared_world`), under each test's savepoint."""
    from django.test import Client

    with django_db_blocker.unblock():
        return {name: log_in(Client(), user) for name, user in shared_world.users.items()}


@pytest.fixture
def shared_login(persona_clients: dict[str, Any], shared_world: World, db: Any) -> Any:
    """`login` for the modules that read the shared world: a persona's client already logged
    in; any other user (one a test creates) logs in on a client of their own."""
    from django.test import Client

    clients = {shared_world.users[name].pk: client for name, client in persona_clients.items()}

    def _login(user: Any) -> Any:
        return clients.get(user.pk) or log_in(Client(), user)

    return _login


@contextmanager
def shared_data(django_db_blocker: Any) -> Iterator[None]:
    """A transaction for the data a module (or class) fixture builds once and its tests only
    read, rolled back at the fixture's end (`shared_world`). Rules a transactional test's flush
    removed are loaded again first, as each test gets them (`_rules_after_flush`)."""
    from django.db import transaction

    block = transaction.atomic()
    with django_db_blocker.unblock():
        block.__enter__()
    try:
        with django_db_blocker.unblock():
            _load_rules_if_flushed()
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


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


# Markers (registered in pyproject.toml) by folder, and by fixture for the tests that run real
# Celery workers: `make test-fast` leaves out browser, workers and slow. The PostgreSQL-only
# tests carry `postgres` in their own modules, next to the skip that says why.
FOLDER_MARKERS = {
    "e2e": ("browser",),
    "faults": ("slow",),
    "ops": ("slow",),
    "hostile": ("slow",),
}
# The exhaustive crawls: the denouncer crawl (every persona through every page and file), the
# access matrix of records and of lists (every URL x persona x method or query) and the export
# matrix (every register's files for every persona). `make test` runs them; the fast loop
# leaves them out, but for the public part of the matrix (test_access_matrix_public.py).
SLOW_MODULES = {
    "petitions/test_denouncer_leak.py",
    "core/test_access_matrix.py",
    "core/test_access_matrix_lists.py",
    "core/test_export_matrix.py",
}
WORKER_FIXTURES = {"workers", "redis_server"}
# The longest modules (ten seconds or more each, measured on a whole run), run first, longest
# first: the parallel workers take whole files in this order (--dist loadfile, with xdist's
# own reordering by test count turned off in the Makefile), so that they end together instead
# of one waiting for the other's last long file.
LONGEST_FIRST = [
    "petitions/test_denouncer_leak.py",
    "core/test_export_matrix.py",
    "core/test_access_matrix_lists.py",
    "ops/test_demo_run.py",
    "core/test_access_matrix.py",
    "hostile/test_forms.py",
    "hostile/test_forms_petitions.py",
    "ops/test_deploy_walk.py",
    "oparl/test_api.py",
    "hostile/test_forms_sessions.py",
    "faults/test_postgres_restart.py",
    "hostile/test_query_strings.py",
    "core/test_text_box.py",
    "e2e/test_liaison_journey.py",
    "core/test_import_access.py",
    "hostile/test_forms_supervision.py",
    "e2e/test_dashboard_journey.py",
    "e2e/test_clerk_journey.py",
    "hostile/test_importers.py",
    "faults/test_redis_down.py",
    "e2e/test_agency_journey.py",
    "e2e/test_petition_journey.py",
    "faults/test_worker_killed.py",
    "e2e/test_paperless_journey.py",
    "supervision/test_pages.py",
    "core/test_access_matrix_public.py",
    "e2e/test_accessibility.py",
    "e2e/test_public_journey.py",
    "e2e/test_session_journey.py",
    "petitions/test_confidentiality.py",
    "core/test_production_secrets.py",
    "hostile/test_forms_resolutions.py",
    "core/test_document_jobs.py",
    "core/test_object_storage.py",
    "faults/test_number_races.py",
    "resolutions/test_demo.py",
]


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    here = Path(__file__).parent
    for item in items:
        try:
            relative = Path(item.path).relative_to(here)
        except ValueError:
            relative = Path()
        folder = relative.parts[0] if relative.parts else ""
        for name in FOLDER_MARKERS.get(folder, ()):
            item.add_marker(name)
        if relative.as_posix() in SLOW_MODULES:
            item.add_marker("slow")
        if WORKER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker("workers")
            item.add_marker("postgres")
    rank = {module: position for position, module in enumerate(LONGEST_FIRST)}

    def position(item: Any) -> int:
        try:
            module = Path(item.path).relative_to(here).as_posix()
        except ValueError:
            return len(rank)
        return rank.get(module, len(rank))

    items.sort(key=position)  # stable: the other modules keep their order, tests theirs


def pytest_collection_finish(session: Any) -> None:
    """Once the modules are imported, their objects (Django's models, URL patterns, templates)
    live until the end: moved out of the garbage collector's sight (gc.freeze) and with fewer
    young-generation passes, the collector no longer walks them after every few thousand
    allocations of a request (about 5% of the suite's time)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


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
