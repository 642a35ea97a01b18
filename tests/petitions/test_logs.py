"""No personal data or secrets in logs; errors reported without request bodies (issue 9).

A view fails during a POST that carries a denouncer's identity: the error mail to ADMINS
(Django's AdminEmailHandler, with the portal's reporter and filter from the settings), the debug
page and the log lines name the fields and the variables, never their values, the cookies or
the secrets. A whole intake, reading and unredacted copy, logged at DEBUG (SQL included), never
writes the identity to a log.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views.debug import get_exception_reporter_class, technical_500_response

from councilportal.models import GeneratedDocument
from councilportal.security.error_reports import PortalReporterFilter
from petitions.models import IdentityAccessLog, Petition
from petitions.services import ItemData, PersonData, petition_receive

from .conftest import SECRET_ADDRESS, SECRET_ID, SECRET_NAME, SECRET_PHONE, Desk
from .test_denouncer_leak import secrets_in

FIELD_KEY = Fernet.generate_key().decode()
SECRETS_OF_SETTINGS = {
    "DATABASE_URL": "postgres://portal:pg-S3cret-pw@db.internal:5432/portal",
    "REDIS_URL": "redis://:redis-S3cret-pw@redis.internal:6379/0",
    "CELERY_BROKER_URL": "redis://:redis-S3cret-pw@redis.internal:6379/0",
    "EMAIL_HOST_PASSWORD": "smtp-S3cret-pw",
    "FIELD_BLIND_INDEX_KEY": "blind-S3cret-key",
}
FORBIDDEN = ["S3cret", FIELD_KEY, "dev-insecure-key"]


@pytest.fixture
def secret_settings(settings: Any) -> Any:
    for name, value in SECRETS_OF_SETTINGS.items():
        setattr(settings, name, value)
    settings.FIELD_ENCRYPTION_KEYS = [FIELD_KEY]  # the cached keys stay those of the tests
    settings.ADMINS = [("Vận hành", "ops@example.org")]
    return settings


def _assert_clean(text: str, where: str, *extra: str) -> None:
    assert not secrets_in(text), (where, secrets_in(text))
    for word in [*FORBIDDEN, *extra]:
        assert word not in text, (where, word)


def test_an_error_mail_names_the_fields_never_their_values(
    desk: Desk, secret_settings: Any, caplog: Any
) -> None:
    secret_settings.ROOT_URLCONF = "tests.petitions.failing_urls"
    client = Client(raise_request_exception=False)
    client.force_login(desk.world.users["province_clerk"])
    session_cookie = client.cookies["sessionid"].value
    url = reverse("failing-upload")
    scan = SimpleUploadedFile("Tran-Thi-Bao-Mat.pdf", b"%PDF-1.4", content_type="application/pdf")
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            f"{url}?q={SECRET_ID}",
            {
                "full_name": SECRET_NAME,
                "address": SECRET_ADDRESS,
                "phone": SECRET_PHONE,
                "scan": scan,
            },
            HTTP_REFERER=f"http://testserver/petitions/?q={SECRET_PHONE}",
        )
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    report = f"{mail.outbox[0].subject}\n{mail.outbox[0].body}"
    # The report is useful: what failed, where, which fields the request had.
    assert "FileNotFoundError" in report and "failing_upload" in report
    assert "full_name" in report and "scan" in report and "********************" in report
    _assert_clean(report, "error mail", session_cookie)
    _assert_clean(caplog.text, "log lines", session_cookie)
    assert "Internal Server Error" in caplog.text


SESSION_COOKIE = "sessionid=cookie-S3cret-value"


def test_the_debug_page_hides_values_too(desk: Desk, secret_settings: Any) -> None:
    """A service fails with the denouncer's identity in its local variables (a group petition
    without a representative): neither the debug page nor the text report shows it."""
    secret_settings.DEBUG = True
    request = RequestFactory().post(
        f"/petitions/new/?q={SECRET_PHONE}",
        {"people-0-full_name": SECRET_NAME, "people-0-id_number": SECRET_ID},
        HTTP_COOKIE=SESSION_COOKIE,
    )
    request.user = desk.world.users["handler"]
    person = PersonData(full_name=SECRET_NAME, id_number=SECRET_ID, address=SECRET_ADDRESS)
    try:
        petition_receive(
            council=desk.world.province,
            channel="post",
            received_on=dt.date(2023, 5, 2),
            subject="Tố cáo tập thể",
            items=[ItemData(kind="denunciation", field="land", content="Nội dung.")],
            people=[person, person],
            is_group=True,
            by=request.user,
        )
    except ValidationError:
        page = technical_500_response(request, *sys.exc_info())
        reporter = get_exception_reporter_class(request)(request, *sys.exc_info())
        text = reporter.get_traceback_text()
    else:
        pytest.fail("the service accepted a group petition without a representative")
    html = page.content.decode()
    assert "A group petition names its representative" in html
    assert "people-0-full_name" in html and "petition_receive" in html
    _assert_clean(html, "debug page")
    _assert_clean(text, "text report")
    assert "redis.internal" in text  # the URL stays, without its credentials


def test_urls_keep_their_host_and_lose_their_credentials() -> None:
    clean = PortalReporterFilter().cleanse_setting("BROKER", "redis://user:pw@host:6379/0")
    assert clean == "redis://********************@host:6379/0"
    nested = PortalReporterFilter().cleanse_setting("X", {"url": "postgres://a:b@db/x"})
    assert nested == {"url": "postgres://********************@db/x"}


@pytest.mark.django_db(transaction=True)
def test_an_intake_reading_and_copy_logged_at_debug_never_name_the_denouncer(
    world: Any, caplog: Any, eager_jobs: None, media: Path
) -> None:
    handler = world.users["handler"]
    client = Client()
    client.force_login(handler)
    form = {
        "council": world.province.pk,
        "channel": "post",
        "received_on": "16/01/2023",
        "subject": "Tố cáo cán bộ thu tiền sai quy định",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "20",
        "items-0-kind": "denunciation",
        "items-0-field": "administration",
        "items-0-content": "Cán bộ thu tiền sai quy định.",
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "50",
        "people-0-full_name": SECRET_NAME,
        "people-0-address": SECRET_ADDRESS,
        "people-0-phone": SECRET_PHONE,
        "people-0-id_number": SECRET_ID,
        "people-0-is_representative": "on",
        "no_duplicate": "1",
    }
    scan = SimpleUploadedFile(
        "Tran Thi Bao Mat.pdf", b"%PDF-1.4 scan", content_type="application/pdf"
    )
    caplog.set_level(logging.DEBUG)
    for name in ("django.db.backends", "celery", "weasyprint", "fontTools"):
        caplog.set_level(logging.DEBUG, logger=name)
    with CaptureQueriesContext(connection):  # SQL and its parameters go to the DEBUG log
        created = client.post(reverse("petitions:petition-create"), {**form, "scan": scan})
        assert created.status_code == 302, created.content.decode()[:2000]
        petition = Petition.objects.get(subject=form["subject"])
        identity = client.get(reverse("petitions:petition-identity", args=[petition.pk]))
        assert SECRET_NAME in identity.content.decode()  # the flow did read the identity
        item = petition.items.get()
        client.post(
            reverse("petitions:item-action", args=[item.pk]),
            {"action": "guide", "on": "20/01/2023", "note": "Gửi Thanh tra huyện."},
        )
        copy = client.post(reverse("petitions:item-unredacted", args=[item.pk]))
        assert copy.status_code == 302
        # Others knocking: refused, and logged as such.
        other = Client()
        other.force_login(world.users["leader"])
        assert other.get(reverse("petitions:petition-identity", args=[petition.pk])).status_code
        other.post(f"{reverse('petitions:petition-create')}", {**form, "council": ""})
    document = GeneratedDocument.objects.get(kind="petitions.guidance-letter-unredacted")
    assert document.status == "done", document.error  # rendered by the real task (eager)
    assert sorted(
        IdentityAccessLog.objects.filter(petition=petition).values_list("action", flat=True)
    ) == ["refused", "unredacted_copy", "view"]
    assert "INSERT INTO" in caplog.text and "petitions_petitioner" in caplog.text
    _assert_clean(caplog.text, "logs of the whole flow")


def test_background_jobs_take_ids_and_dates_only() -> None:
    """Celery logs a job's arguments when it is received or fails: ours are ids and dates."""
    from councilportal.celery import app

    app.loader.import_default_modules()
    ours = {
        name: task
        for name, task in app.tasks.items()
        if name.split(".")[0] in {"councilportal", "petitions", "resolutions", "sessions"}
        or name.startswith("supervision.")
    }
    assert "councilportal.tasks.render_document" in ours
    for name, task in ours.items():
        parameters = set(inspect.signature(task.run).parameters) - {"self"}
        assert all(p.endswith("_id") or p in {"on", "day"} for p in parameters), (name, parameters)
