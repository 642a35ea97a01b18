"""No page and no file names a denouncer to anyone but the council's confidential handler.

A denunciation with a distinctive identity is received in the province council (several
personas read it), and everything that might echo it is made: a repeat petition by the same
person, a forwarding with its slip, an agency's answer, a reminder letter, a guidance letter
and the handler's unredacted copy, the signature scan, the reminders' notifications, the access
log, an activity report. Then every persona (and anonymous) crawls the portal: every plain URL
of the resolver, every object URL of every record of that council, the links found on the pages
(same host, GET only), every register's .xlsx and .csv export, every PDF (read with pdftotext)
and every spreadsheet; no identity string, in any spelling, may appear anywhere — except for
the handler, on the identity page, the scan and the unredacted copy (the positive control).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import re
import unicodedata
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse

from councilportal.dashboard.reports import ACTIVITY_REPORT
from councilportal.documents.services import document_render, document_request
from councilportal.follow_ups.reminders import run_reminders
from councilportal.models import ActivityReport, Attachment, DocumentStatus, GeneratedDocument
from councilportal.web.crud import ScopedListView
from petitions.access import reveal
from petitions.documents import (
    FORWARDING_SLIP,
    GUIDANCE_LETTER,
    GUIDANCE_LETTER_UNREDACTED,
    REMINDER_LETTER,
)
from petitions.models import IdentityAccess, Petition, Petitioner
from petitions.services import (
    ItemData,
    PersonData,
    item_answer,
    item_forward,
    item_guide,
    petition_receive,
    reminder_send,
)
from petitions.views import _attach_scan
from public.services import CHALLENGE_SALT, challenge_new, petition_submit_online

from .. import conftest as root
from ..core.test_access_matrix import (
    OBJECT_PATTERNS,
    OPARL_PATTERNS,
    PLAIN_PATTERNS,
    PUBLIC_OBJECT_PATTERNS,
    _model_of,
    object_url,
)
from ..pdftools import pdf_text
from .conftest import SECRET_ADDRESS, SECRET_ID, SECRET_NAME, SECRET_PHONE, Desk, make_desk

# Each test runs in a savepoint rolled back after it, over the scene built once (`scene`).
pytestmark = pytest.mark.django_db

SECRET_EMAIL_LIKE = "baomat.tran@example.vn"  # in the scan's file only: no e-mail field exists
IDENTITY = [
    SECRET_NAME,
    SECRET_ADDRESS,
    SECRET_PHONE,
    SECRET_ID,
    "0987654321",
    "0987.654.321",
    "Số 9 ngõ Kín",
]
SCAN_NAME = "don-to-cao-Tran-Thi-Bao-Mat.pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Every combining mark of the Basic Multilingual Plane (the accents NFKD splits off; Vietnamese
# needs no other), as one character class: a regular expression strips them several times
# faster than a test of each character.
COMBINING = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x10000) if unicodedata.combining(chr(c))) + "]"
)


def flat(text: str) -> str:
    """Accents, case, HTML escapes and spacing ignored: every spelling of a string."""
    text = unicodedata.normalize("NFKD", html.unescape(text).replace("đ", "d").replace("Đ", "D"))
    text = COMBINING.sub("", text)
    return " ".join(text.lower().replace("-", " ").replace("_", " ").split())


NEEDLES = sorted({flat(s) for s in [*IDENTITY, SCAN_NAME.removesuffix(".pdf")]})


def secrets_in(text: str) -> list[str]:
    haystack = flat(text)
    return [needle for needle in NEEDLES if needle in haystack]


def test_the_needles_catch_every_spelling() -> None:
    for spelling in (
        "TRẦN THỊ BẢO MẬT",
        "Tran Thi Bao Mat",
        "tran  thi\nbao mat",
        "Tr&#7847;n Th&#7883; B&#7843;o M&#7853;t",
        "0987 654 321",
        "Tran_Thi_Bao_Mat",
    ):
        assert secrets_in(spelling), spelling
    assert not secrets_in("Người tố cáo (bảo mật)")  # the redaction label is no leak


# The world ----------------------------------------------------------------------------------


@dataclass
class Scene:
    desk: Desk
    repeat: Petition
    guided: Petition
    scan_url: str
    unredacted_url: str
    documents: list[GeneratedDocument] = field(default_factory=list)
    mails: list[Any] = field(default_factory=list)  # sent while it was built
    online: Petition | None = None  # sent on the public portal (issue 20)


def _render(document: GeneratedDocument) -> GeneratedDocument:
    document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    return document


@pytest.fixture(scope="module")
def scene(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Scene]:
    """Built once for the module, whose tests only read it (each runs in a savepoint rolled
    back after it, as with root.shared_world): the crawls, the mails, the tables, the scan."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), root.shared_data(django_db_blocker):
        with django_db_blocker.unblock():
            built = build_scene(make_desk(root.build_world()), media)
        yield built


def build_scene(desk: Desk, media: Path) -> Scene:
    world = desk.world
    mail.outbox.clear()
    province = world.province
    clerk, handler = world.users["province_clerk"], world.users["handler"]
    # The same denouncer writes again (a repeat) and once more on another matter (guided).
    person = PersonData(
        full_name=SECRET_NAME,
        address=SECRET_ADDRESS,
        phone=SECRET_PHONE,
        id_number=SECRET_ID,
        is_representative=True,
    )
    repeat = petition_receive(
        council=province,
        channel="in_person",
        received_on=dt.date(2023, 1, 20),
        subject="Tố cáo lần hai về tiền bồi thường",
        items=[ItemData(kind="denunciation", field="compensation", content="Nhắc lại tố cáo.")],
        people=[person],
        duplicate_of=desk.denunciation,
        by=handler,
    )
    guided = petition_receive(
        council=province,
        channel="post",
        received_on=dt.date(2023, 1, 25),
        subject="Tố cáo cán bộ địa chính thôn",
        items=[ItemData(kind="denunciation", field="land", content="Cán bộ địa chính nhận quà.")],
        people=[person],
        by=handler,
    )
    documents = []
    # Forwarded, slip printed, answered; a reminder letter printed.
    item = desk.denunciation.items.get()
    slip = item_forward(item=item, agency=desk.agency, on=dt.date(2023, 1, 18), by=clerk)
    documents.append(document_request(kind=FORWARDING_SLIP.key, source=slip, by=clerk))
    item.refresh_from_db()
    letter = reminder_send(item=item, on=dt.date(2023, 3, 1), by=clerk)
    documents.append(document_request(kind=REMINDER_LETTER.key, source=letter, by=clerk))
    item.refresh_from_db()
    item_answer(
        item=item,
        received_on=dt.date(2023, 3, 10),
        content="Thanh tra tỉnh đã xác minh, kết luận tố cáo đúng một phần.",
        reference="15/TTr-NV",
        final=False,
        by=clerk,
    )
    # Guided: a redacted letter, and the handler's logged unredacted copy.
    guided_item = guided.items.get()
    item_guide(item=guided_item, on=dt.date(2023, 1, 30), note="Gửi Thanh tra huyện.", by=clerk)
    documents.append(document_request(kind=GUIDANCE_LETTER.key, source=guided_item, by=clerk))
    reveal(petition=guided, by=handler, action=IdentityAccess.UNREDACTED_COPY)
    unredacted = document_request(kind=GUIDANCE_LETTER_UNREDACTED.key, source=guided_item, by=None)
    unredacted.requested_by = handler
    unredacted.save(update_fields=["requested_by"])
    documents.append(unredacted)
    # An activity report of the province over the period.
    report = ActivityReport.objects.create(
        council=province,
        include_below=True,
        period_start=dt.date(2023, 1, 1),
        period_end=dt.date(2023, 12, 31),
        requested_by=world.users["leader"],
    )
    documents.append(
        document_request(kind=ACTIVITY_REPORT.key, source=report, by=world.users["leader"])
    )
    for document in documents:
        _render(document)
    # The signature scan carries the identity in its content and in its file name.
    content = f"%PDF-1.4 {SECRET_NAME} {SECRET_ADDRESS} {SECRET_EMAIL_LIKE}".encode()
    scan = _attach_scan(
        desk.denunciation,
        SimpleUploadedFile(SCAN_NAME, content, content_type="application/pdf"),
        handler,
    )
    # The world's attachments are rows only: give them their files.
    for attachment in Attachment.objects.exclude(pk=scan.pk):
        path = media / attachment.file.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4 " + attachment.title.encode())
    # Reminders (notifications, and e-mails to whoever has an address) and a logged reading.
    for user in world.users.values():
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    # agency personas: the denunciation was forwarded to the officer's agency (whose parent is
    # the head's), and the officer answered it online with a file.
    from agencies.models import AgencyMembership, AgencyRole
    from agencies.services import agency_answer_submit

    officer, head = world.users["agency_officer"], world.users["agency_head"]
    desk.agency.parent = AgencyMembership.objects.get(user=head).agency
    desk.agency.save()
    AgencyMembership.objects.create(user=officer, agency=desk.agency, role=AgencyRole.OFFICER)
    for user in (officer, head):
        for name in ("_agency_scope", "_council_scopes"):
            user.__dict__.pop(name, None)
    agency_answer_submit(
        follow_up=item.follow_up,
        by=officer,
        text="Thanh tra tỉnh đang xác minh nội dung tố cáo.",
        proposed_status="partly_done",
        progress=30,
        upload=SimpleUploadedFile("bao-cao-xac-minh.pdf", b"%PDF-1.4 bao cao xac minh"),
        on=dt.date(2023, 3, 12),
    )
    run_reminders(dt.date(2023, 2, 1))
    # The same denouncer also writes online, through the public portal (issue 20).
    challenge = challenge_new()
    online, _code = petition_submit_online(
        council=province,
        data={
            "challenge": challenge.token,
            "answer": str(signing.loads(challenge.token, salt=CHALLENGE_SALT)["s"]),
            "kind": "denunciation",
            "field": "land",
            "subject": "Tố cáo gửi qua cổng công khai",
            "content": "Nội dung tố cáo gửi trực tuyến.",
            "full_name": SECRET_NAME,
            "address": SECRET_ADDRESS,
            "phone": SECRET_PHONE,
            "email": SECRET_EMAIL_LIKE,
            "attachments": [],
        },
    )
    run_reminders(dt.date(2023, 6, 1))
    reveal(petition=desk.denunciation, by=handler)
    return Scene(
        desk=desk,
        repeat=repeat,
        guided=guided,
        scan_url=reverse("core:attachment-download", args=[scan.pk]),
        unredacted_url=reverse("core:document-download", args=[unredacted.pk]),
        documents=documents,
        mails=list(mail.outbox),
        online=online,
    )


# The crawler --------------------------------------------------------------------------------

SKIP_PREFIXES = ("/static/", "/admin/", "/logout/", "/i18n/", "/media")
LINK = re.compile(r"""(?:href|hx-get|data-href|src)\s*=\s*["']([^"'#]+)""", re.IGNORECASE)
MAX_PAGES = 900
VARIANTS_PER_PATH = 4


def _is_register(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    view_class = getattr(match.func, "view_class", None)
    return isinstance(view_class, type) and issubclass(view_class, ScopedListView)


# The text of each file body already read: the same PDF or spreadsheet answers several personas,
# and pdftotext or openpyxl need read it once.
_FILE_TEXTS: dict[tuple[str, str], str] = {}


def readable(response: Any) -> str:
    """Everything a response shows: headers that name a file, and the body as text (PDFs
    through pdftotext, spreadsheets cell by cell)."""
    kind = response.get("Content-Type", "")
    headers = [response.get("Content-Disposition", ""), response.get("Location", "")]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("text/html"):
        return "\n".join([*headers, body.decode("utf-8", errors="replace")])
    key = (kind, hashlib.sha256(body).hexdigest())
    if key not in _FILE_TEXTS:
        _FILE_TEXTS[key] = _body_text(kind, body)
    return "\n".join([*headers, _FILE_TEXTS[key]])


def _body_text(kind: str, body: bytes) -> str:
    parts: list[str] = []
    if kind.startswith("application/pdf") and body.startswith(b"%PDF") and b"%%EOF" in body[-64:]:
        parts.append(pdf_text(body, layout=False))
    elif "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                parts.append(" ".join("" if v is None else str(v) for v in row))
        book.close()
    elif kind.startswith("text/csv"):
        parts += [" ".join(row) for row in csv.reader(io.StringIO(body.decode("utf-8-sig")))]
    else:
        parts.append(body.decode("utf-8", errors="replace"))
    return "\n".join(parts)


def _links(base: str, text: str) -> Iterator[str]:
    for href in LINK.findall(text):
        href = html.unescape(href).strip()
        if href.startswith(("javascript:", "mailto:", "tel:", "data:")):
            continue
        parts = urlsplit(urljoin(base, href))
        if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIP_PREFIXES):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client: Client, starts: list[str]) -> Iterator[tuple[str, Any, str]]:
    """(url, response, readable text) of every page reachable from `starts`, breadth first."""
    queue = deque(starts)
    seen: set[str] = set()
    variants: Counter[str] = Counter()
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, url
        text = readable(response)
        yield url, response, text
        if response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
            queue.append(response["Location"])
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        path = urlsplit(url).path
        if _is_register(path) and "export=" not in url:
            queue.extend(f"{path}?export={fmt}" for fmt in ("xlsx", "csv"))
        for link in _links(url, text):
            link_path = urlsplit(link).path
            if link in seen:
                continue
            if "?" in link:
                if variants[link_path] >= VARIANTS_PER_PATH:
                    continue
                variants[link_path] += 1
            queue.append(link)


OPARL_OBJECT_PATTERNS = [p for p in OPARL_PATTERNS if p[2].pattern.converters]


def _objects_of_council(council: Any) -> dict[type, list[Any]]:
    """Every record of one council, for every model an object URL names (the matrix's models)."""
    found: dict[type, list[Any]] = {}
    for _name, _route, pattern in OBJECT_PATTERNS + OPARL_OBJECT_PATTERNS:
        model = _model_of(pattern)
        if model in found:
            continue
        manager = model._default_manager
        lookup = getattr(type(manager.all()), "scope_field", None)
        if lookup is None:
            found[model] = []
            continue
        key = f"{lookup}__path__startswith" if lookup else "path__startswith"
        # The newest first: the denunciation's own records were made last.
        found[model] = list(manager.filter(**{key: council.path}).order_by("-pk")[:2])
    return found


def start_urls(scene: Scene) -> list[str]:
    world = scene.desk.world
    urls = [reverse(name) for name, _route, _pattern in PLAIN_PATTERNS]
    for name, _route, _pattern in PLAIN_PATTERNS:
        if _is_register(reverse(name)):
            urls += [reverse(name) + "?q=to+cao", reverse(name) + "?export=xlsx&q=to+cao"]
    urls += [
        reverse("core:search") + "?q=to+cao",
        reverse("core:search") + "?q=bao+mat",
        reverse("core:dashboard") + f"?council={world.province.pk}&period=year",
        reverse("petitions:statistics") + "?from=2023-01-01&to=2023-12-31",
        reverse("core:import-template") + "?kind=petitions",
    ]
    objects = _objects_of_council(world.province)
    for name, _route, pattern in OBJECT_PATTERNS:
        for obj in objects[_model_of(pattern)]:
            urls.append(object_url(name, pattern, obj.pk))
    # The public portal (issue 20), which anonymous visitors reach: its home, search, tracking
    # page and the public page of each record of the council (a 404 when it is not public).
    urls += [
        reverse("public:home"),
        reverse("public:search") + "?q=to+cao",
        reverse("public:search") + "?q=bao+mat",
        reverse("public:search") + "?q=Tran+Thi",
        reverse("public:tracking"),
    ]
    for name, _route, pattern in PUBLIC_OBJECT_PATTERNS:
        model = _model_of(pattern)
        lookup = getattr(type(model._default_manager.all()), "scope_field", None)
        key = f"{lookup}__path__startswith" if lookup else "path__startswith"
        for obj in model._default_manager.filter(**{key: world.province.path}).order_by("-pk")[:2]:
            urls.append(reverse(name, args=[obj.pk]))

    # oparl: the open-data API, its entry point and the province's records (its JSON is read,
    # not followed: the OParl walk in tests/oparl follows it).
    urls += [
        reverse(name) for name, _route, pattern in OPARL_PATTERNS if not pattern.pattern.converters
    ]
    for name, _route, pattern in OPARL_OBJECT_PATTERNS:
        for obj in objects[_model_of(pattern)]:
            urls.append(object_url(name, pattern, obj.pk))
    for document in scene.documents:
        urls.append(reverse("core:document-download", args=[document.pk]))
    # The agency workspace: the forwarded denunciation's item page (its slip and answer file
    # are linked from it).
    follow_up = scene.desk.denunciation.items.get().follow_up
    urls.append(reverse("agencies:item-detail", args=[follow_up.pk]))
    urls.append(scene.scan_url)
    return list(dict.fromkeys(urls))


def _allowed_for_the_handler(scene: Scene) -> set[str]:
    pages = {
        reverse("petitions:petition-identity", args=[p.pk])
        for p in (scene.desk.denunciation, scene.repeat, scene.guided, scene.online)
        if p is not None
    }
    return pages | {scene.scan_url, scene.unredacted_url}


@pytest.mark.parametrize("persona", [*root.PERSONA_NAMES, "anonymous"])
def test_no_page_or_file_names_the_denouncer_but_for_the_handler(
    scene: Scene, persona: str
) -> None:
    client = Client()
    if persona != "anonymous":
        client.force_login(scene.desk.world.users[persona])
    leaks: list[tuple[str, list[str]]] = []
    visited = 0
    files: Counter[str] = Counter()
    visited_urls: list[str] = []
    for url, response, text in crawl(client, start_urls(scene)):
        visited += 1
        visited_urls.append(url)
        files[response.get("Content-Type", "").split(";")[0]] += 1
        found = secrets_in(text)
        if found:
            leaks.append((url, found))
    assert visited > 50, visited
    if persona == "handler":
        allowed = _allowed_for_the_handler(scene)
        assert [leak for leak in leaks if leak[0].split("?")[0] not in allowed] == []
        # The positive control: the crawler does reach and read the identity.
        seen = {url.split("?")[0] for url, _found in leaks}
        identity = reverse("petitions:petition-identity", args=[scene.desk.denunciation.pk])
        assert {identity, scene.scan_url, scene.unredacted_url} <= seen, leaks
        assert flat(SECRET_NAME) in dict(leaks)[identity]
    else:
        assert leaks == [], leaks
    if persona in root.AGENCY_PERSONAS:
        # The agency read the item, its slip (PDF) and its own answer's file.
        item_page = reverse(
            "agencies:item-detail", args=[scene.desk.denunciation.items.get().follow_up_id]
        )
        assert files["application/pdf"] >= 2, files
        assert any(url == item_page for url in visited_urls), visited_urls[:20]
    elif persona not in ("anonymous", "outsider", "commune_clerk"):
        # The crawl did read the council's files: PDFs and both export formats.
        assert files["application/pdf"] >= 3, files
        assert files["text/csv"] >= 10 and files[XLSX] >= 10, files


def test_reminder_mails_never_name_the_denouncer(scene: Scene) -> None:
    assert len(scene.mails) >= 2  # the reminders did mail the council's people
    for message in scene.mails:
        parts = [message.subject, str(message.body)]
        parts += [str(content) for content, _kind in getattr(message, "alternatives", [])]
        assert not secrets_in("\n".join(parts)), message.subject


# The database -------------------------------------------------------------------------------


def test_no_table_stores_the_identity_in_plain_text(scene: Scene) -> None:
    """Every text column of every table (history tables, notifications, follow-ups, documents,
    attachments and their file paths) holds the identity only as ciphertext."""
    with connection.cursor() as cursor:
        hits = []
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND data_type IN "
                "('text', 'character varying', 'jsonb', 'json')"
            )
            columns = cursor.fetchall()
            assert len(columns) > 100
            for table, column in columns:
                cursor.execute(
                    f'SELECT "{column}"::text FROM "{table}" WHERE "{column}" IS NOT NULL'  # noqa: S608
                )
                for (value,) in cursor.fetchall():
                    found = secrets_in(value)
                    if found:
                        hits.append((table, column, found))
        else:
            # SQLite (the embedded defaults) has no information_schema: every column of every
            # table, text and JSON are stored as text there.
            tables = connection.introspection.table_names(cursor)
            assert len(tables) > 50
            for table in tables:
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema
                names = [column[0] for column in cursor.description]
                for row in cursor.fetchall():
                    for column, value in zip(names, row, strict=True):
                        found = secrets_in(value) if isinstance(value, str) else []
                        if found:
                            hits.append((table, column, found))
        assert hits == []
        cursor.execute("SELECT full_name, id_number FROM petitions_historicalpetitioner")
        rows = cursor.fetchall()
        values = [value for row in rows for value in row if value]
        assert len(values) >= 6 and all(value.startswith("gAAAA") for value in values)


def test_a_denunciations_scan_is_stored_under_a_neutral_name(scene: Scene) -> None:
    """The scan's file name (often the denouncer's own name) is neither kept nor used for the
    stored file; the scan stays the handler's only."""
    scan = Attachment.objects.get(owner_type__model="petitioner")
    assert (
        scan.original_name == f"don-{scene.desk.denunciation.register_number.replace('/', '-')}.pdf"
    )
    assert not secrets_in(f"{scan.original_name} {scan.file.name} {scan.title}")
    for persona in root.PERSONA_NAMES:
        user = scene.desk.world.users[persona]
        visible = Petitioner.objects.visible_to(user).filter(pk=scan.owner_id).exists()
        assert visible is (persona == "handler"), persona
