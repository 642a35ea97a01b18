"""Demo sessions and meetings: Hưng Yên's sessions of Khóa XVII–XVIII with agendas, attendance,
votes and the 2023 confidence vote, a district session, and the liaison meeting of 01/03/2023
from the seed article. Idempotent: a session that exists is left as it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from councilportal.documents.attachments import attachment_add
from councilportal.models import Council, Delegate, FollowUp, Organ, OrganKind, Term

from . import services
from .models import (
    AgendaItem,
    ConfidenceMilestone,
    ConfidenceRating,
    ConfidenceVote,
    Meeting,
    Presence,
    Session,
    SessionStatus,
)

D = dt.date

# The agenda of each kind of session (DOMAIN.md §4): the budget estimate and the next year's
# programmes at the year-end session, the settlement of accounts and the school fees at
# mid-year, investment at thematic and extraordinary sessions. {y} = the year, {n} = the next,
# {b} = the year before. A submission is on one session's agenda, never on several.
AGENDAS: dict[str, list[tuple[str, str, str]]] = {
    "regular_end": [
        (
            "report",
            "Báo cáo kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội năm {y}",
            "UBND",
        ),
        ("report", "Báo cáo công tác năm {y} của Thường trực HĐND", "Thường trực HĐND"),
        ("submission", "Tờ trình về dự toán ngân sách nhà nước năm {n}", "Sở Tài chính"),
        ("submission", "Tờ trình về kế hoạch đầu tư công năm {n}", "UBND"),
        ("submission", "Tờ trình về chương trình giám sát năm {n} của HĐND", "Thường trực HĐND"),
        ("questioning", "Chất vấn và trả lời chất vấn về quản lý đất đai năm {y}", "Giám đốc Sở"),
        ("other", "Bế mạc kỳ họp", "Chủ tịch HĐND"),
    ],
    "regular_mid": [
        ("report", "Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm {y}", "UBND"),
        ("report", "Báo cáo công tác 6 tháng đầu năm {y} của Thường trực HĐND", "Thường trực HĐND"),
        (
            "submission",
            "Tờ trình phê chuẩn quyết toán ngân sách địa phương năm {b}",
            "Sở Tài chính",
        ),
        ("submission", "Tờ trình quy định mức thu học phí năm học {y}-{n}", "Sở Giáo dục"),
        ("submission", "Tờ trình về tổng biên chế công chức năm {n}", "Sở Nội vụ"),
        ("questioning", "Chất vấn và trả lời chất vấn về giáo dục năm {y}", "Giám đốc Sở"),
        ("other", "Bế mạc kỳ họp", "Chủ tịch HĐND"),
    ],
    "thematic": [
        ("report", "Báo cáo tình hình giải ngân vốn đầu tư công năm {b}", "UBND"),
        ("submission", "Tờ trình về điều chỉnh kế hoạch đầu tư công năm {y}", "UBND"),
        ("submission", "Tờ trình phê duyệt chủ trương đầu tư dự án đường trục năm {y}", "UBND"),
        ("other", "Bế mạc kỳ họp", "Chủ tịch HĐND"),
    ],
    "extraordinary": [
        ("submission", "Tờ trình về bổ sung vốn đầu tư công năm {y} cho dự án cấp bách", "UBND"),
        ("submission", "Tờ trình về điều chỉnh dự toán chi thường xuyên năm {y}", "Sở Tài chính"),
        ("other", "Bế mạc kỳ họp", "Chủ tịch HĐND"),
    ],
}


def _session(
    council: Council,
    term: Term,
    ordinal: int,
    kind: str,
    start: dt.date,
    end: dt.date,
    title: str,
    venue: str,
) -> tuple[Session, bool]:
    return Session.objects.get_or_create(
        term=term,
        ordinal=ordinal,
        defaults={
            "council": council,
            "kind": kind,
            "title": title,
            "planned_start": start,
            "planned_end": end,
            "venue": venue,
            "chair_name": "Trần Quốc Toản" if council.code == "HY" else "",
            "secretary_name": "Nguyễn Thị Lan",
            "dossier_sent_on": start - dt.timedelta(days=7),
        },
    )


def _pdf(text: str) -> bytes:
    """A minimal one-page PDF, as a scanned submission would be (demo attachments)."""
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _fill(session: Session, *, held: bool, items: int = 8) -> None:
    """Agenda, and for a held session: sitting days, attendance, votes, then closed."""
    year = session.planned_start.year
    level = "tỉnh" if session.council.parent_id is None else ""
    for n, (kind, title, presenter) in enumerate(AGENDAS[session.kind][:items], start=1):
        if level and presenter.endswith(("UBND", "HĐND")):
            presenter = f"{presenter} {level}"
        item = AgendaItem.objects.create(
            session=session,
            position=n,
            kind=kind,
            title=title.format(y=year, n=year + 1, b=year - 1),
            presenter=presenter,
            summary="Các đại biểu thảo luận, cơ bản thống nhất với nội dung tờ trình."
            if held
            else "",
            conclusion="HĐND tỉnh thống nhất thông qua." if held and kind == "submission" else "",
        )
        if kind in ("report", "submission") and (held or n <= 3):
            upload = SimpleUploadedFile(f"to-trinh-{n}.pdf", _pdf(f"To trinh so {n}/{year}"))
            attachment_add(
                owner=item, council=session.council, upload=upload, title=item.title, by=None
            )
    if not held:
        return
    session.status = SessionStatus.IN_PROGRESS
    session.actual_start = session.planned_start
    session.save()
    delegates = list(
        Delegate.objects.in_office(session.planned_start)
        .filter(term__council=session.council)
        .order_by("pk")
    )
    day = session.planned_start
    while day <= session.planned_end:
        sitting = services.sitting_add(session=session, date=day)
        rows: dict[int, tuple[str, str]] = {}
        for i, delegate in enumerate(delegates):
            if i % 29 == 5:
                rows[delegate.pk] = (Presence.EXCUSED, "Đi công tác theo phân công")
            elif i % 31 == 7:
                rows[delegate.pk] = (Presence.LATE, "")
            else:
                rows[delegate.pk] = (Presence.PRESENT, "")
        services.attendance_record(sitting=sitting, rows=rows)
        day += dt.timedelta(days=1)
    total = len(delegates)
    for item in session.items.filter(kind="submission"):
        ballots = None
        if item.position == 3:  # the budget: a roll-call vote
            # Those excused at the sittings (i % 29 == 5) cast no ballot.
            ballots = {
                d.pk: "not_voting" if i % 29 == 5 else ("for" if i % 20 else "abstain")
                for i, d in enumerate(delegates)
            }
        services.vote_record(
            item=item,
            subject=f"Thông qua {item.title[0].lower()}{item.title[1:]}".replace(
                "Tờ trình", "Nghị quyết"
            ),
            majority="vote.ordinary",
            held_on=session.planned_end,
            votes_for=total - 3,
            votes_against=0,
            abstentions=1,
            ballots=ballots,
        )
    services.session_advance(session=session, by=None)


def _confidence(session: Session) -> None:
    if ConfidenceVote.objects.filter(session=session).exists():
        return
    total = session.council.delegate_count(session.planned_end)
    vote = ConfidenceVote(
        session=session,
        held_on=session.planned_end,
        total_delegates=total,
        ballots_issued=total - 2,
        ballots_collected=total - 2,
        valid_ballots=total - 2,
        resolution_reference="52/NQ-HĐND",
    )
    collected = total - 2
    officials = [
        ("Trần Quốc Toản", "Chủ tịch HĐND tỉnh", 41, 14, 1),
        ("Lê Xuân Tiến", "Phó Chủ tịch Thường trực HĐND tỉnh", 37, 18, 1),
        ("Trần Thị Tuyết Hương", "Phó Chủ tịch HĐND tỉnh", 35, 20, 1),
        ("Nguyễn Lê Huy", "Phó Chủ tịch Thường trực UBND tỉnh", 30, 22, 4),
        ("Đào Văn Thành", "Giám đốc Sở Tài nguyên và Môi trường", 8, 19, collected - 27),
    ]
    ratings = [
        ConfidenceRating(official_name=name, post=post, high=h, trust=t, low=low, position=n)
        for n, (name, post, h, t, low) in enumerate(officials, start=1)
    ]
    ratings.append(
        ConfidenceRating(
            official_name="Phạm Văn Nghiêm",
            post="Ủy viên UBND tỉnh",
            exempt=True,
            exemption_reason="Đã có thông báo nghỉ hưu",
            position=len(ratings) + 1,
        )
    )
    services.confidence_save(vote=vote, ratings=ratings, by=None)
    for key, days, late in (
        ("confidence.list_fixed", 45, 0),
        ("confidence.self_report", 30, 0),
        ("confidence.mttq_summary", 25, 2),
    ):
        ConfidenceMilestone.objects.get_or_create(
            confidence_vote=vote,
            key=key,
            defaults={"done_on": session.planned_start - dt.timedelta(days=days - late)},
        )


def _liaison(councils: dict[str, Council]) -> None:
    hy = councils["HY"]
    if Meeting.objects.filter(council=hy, date=D(2023, 3, 1), kind="liaison").exists():
        return
    standing = Organ.objects.filter(
        council=hy, term__ordinal=17, kind=OrganKind.STANDING_COMMITTEE
    ).first()
    meeting = Meeting.objects.create(
        council=hy,
        organ=standing,
        kind="liaison",
        title="Giao ban Thường trực HĐND tỉnh với Thường trực HĐND các huyện, thị xã, "
        "thành phố lần thứ Tư",
        date=D(2023, 3, 1),
        venue="Huyện Kim Động",
        chair_name="Trần Quốc Toản",
        secretary_name="Nguyễn Thị Lan",
        participants="Trần Quốc Toản, Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh\n"
        "Lê Xuân Tiến, Phó Chủ tịch Thường trực HĐND tỉnh\n"
        "Trần Thị Tuyết Hương, Phó Chủ tịch HĐND tỉnh\n"
        "Nguyễn Lê Huy, Phó Chủ tịch Thường trực UBND tỉnh\n"
        "Nguyễn Đại Thắng, Phó Trưởng đoàn phụ trách Đoàn ĐBQH tỉnh",
        topic="Kinh nghiệm nâng cao trách nhiệm, phát huy vai trò cầu nối giữa đại biểu HĐND "
        "với cử tri và Nhân dân; giải pháp nâng cao chất lượng hoạt động giám sát của HĐND.",
        summary="Từ tháng 12/2022 đến nay, HĐND cấp tỉnh, cấp huyện đã tổ chức 11 kỳ họp, ban hành "
        "146 nghị quyết; HĐND, Thường trực HĐND, các Ban HĐND tỉnh đã tiếp nhận 60 đơn thư và "
        "chuyển đến cơ quan có thẩm quyền giải quyết.",
        conclusions="Thường trực HĐND, các Ban HĐND cấp tỉnh, cấp huyện chủ động tham mưu cấp ủy; "
        "chuẩn bị tốt kỳ họp thường lệ giữa năm 2023 và việc lấy phiếu tín nhiệm theo Quy định "
        "số 96-QĐ/TW tại kỳ họp cuối năm 2023.",
    )
    districts = [
        c for code, c in councils.items() if code.startswith("HY-") and c.level == "district"
    ]
    meeting.participant_councils.set(districts)
    for district, (content, due) in zip(
        districts,
        [
            (
                "Tổ chức tiếp xúc cử tri theo chuyên đề về đất đai trước kỳ họp giữa năm",
                D(2023, 6, 15),
            ),
            ("Báo cáo kết quả giám sát việc giải quyết đơn thư của công dân", D(2023, 5, 31)),
            ("Chuẩn bị nội dung kỳ họp thường lệ giữa năm 2023", D(2023, 6, 30)),
        ],
        strict=False,
    ):
        services.meeting_task_add(
            meeting=meeting, content=content, due_date=due, to_council=district
        )
    done = FollowUp.objects.of(meeting).first()
    if done is not None:
        done.status, done.progress, done.closed_on = "done", 100, D(2023, 6, 10)
        done.save()


@transaction.atomic
def seed(out: Callable[[str], None], councils: dict[str, Council]) -> None:
    hy = councils["HY"]
    xvii = Term.objects.get(council=hy, ordinal=17)
    xviii = Term.objects.get(council=hy, ordinal=18)
    venue = "Hội trường HĐND tỉnh Hưng Yên"
    plan = [
        (
            xvii,
            11,
            "regular_end",
            D(2022, 12, 7),
            D(2022, 12, 9),
            "Kỳ họp thường lệ cuối năm 2022",
            True,
        ),
        (
            xvii,
            12,
            "thematic",
            D(2023, 2, 14),
            D(2023, 2, 14),
            "Kỳ họp chuyên đề về đầu tư công",
            True,
        ),
        (
            xvii,
            13,
            "regular_mid",
            D(2023, 7, 12),
            D(2023, 7, 14),
            "Kỳ họp thường lệ giữa năm 2023",
            True,
        ),
        (
            xvii,
            15,
            "regular_end",
            D(2023, 12, 6),
            D(2023, 12, 8),
            "Kỳ họp thường lệ cuối năm 2023",
            True,
        ),
        (
            xviii,
            1,
            "regular_mid",
            D(2026, 4, 20),
            D(2026, 4, 21),
            "Kỳ họp thứ nhất, Khóa XVIII",
            True,
        ),
        (
            xviii,
            3,
            "regular_end",
            D(2026, 12, 8),
            D(2026, 12, 10),
            "Kỳ họp thường lệ cuối năm 2026",
            False,
        ),
    ]
    for term, ordinal, kind, start, end, title, held in plan:
        session, created = _session(hy, term, ordinal, kind, start, end, title, venue)
        if created:
            _fill(session, held=held)
    extraordinary, created = _session(
        hy,
        xvii,
        14,
        "extraordinary",
        D(2023, 9, 20),
        D(2023, 9, 20),
        "Kỳ họp bất thường về điều chỉnh đầu tư công",
        venue,
    )
    if created:
        extraordinary.requested_by = "delegates"
        extraordinary.request_date = D(2023, 9, 5)
        extraordinary.requesting_delegates = 21
        extraordinary.save()
        _fill(extraordinary, held=True)
    _confidence(Session.objects.get(term=xvii, ordinal=15))
    kd = councils["HY-KD"]
    kd_term = Term.objects.get(council=kd, ordinal=20)
    district, created = _session(
        kd,
        kd_term,
        9,
        "regular_end",
        D(2022, 12, 20),
        D(2022, 12, 21),
        "Kỳ họp thường lệ cuối năm 2022",
        "Hội trường huyện Kim Động",
    )
    if created:
        _fill(district, held=True, items=5)
    _liaison(councils)
    _paperless(out, hy, xviii)
    out(f"  sessions: {Session.objects.count()}, meetings: {Meeting.objects.count()}")


# The paperless session (issue 19): delegate logins and a session in progress today ------------

PAPERLESS_TITLE = "Kỳ họp chuyên đề không giấy (dùng thử biểu quyết điện tử)"
DELEGATE_PASSWORD = "DaiBieu@2026"  # noqa: S105 (the demo's published login, README)
DELEGATE_LOGINS = ["daibieu.1", "daibieu.2", "daibieu.3"]


def _paperless(out: Callable[[str], None], hy: Council, term: Term) -> None:
    """Three delegates of Khóa XVIII with logins, and a session of the council sitting today
    (moved to today on every run, so the demo always has one to vote in from two browsers)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from councilportal.models import Role, RoleAssignment
    from supervision.models import Questioning

    today = timezone.localdate()
    User = get_user_model()
    # Delegates other than the chair and vice-chairs (who have the leader's login).
    delegates = list(Delegate.objects.in_office(today).filter(term=term).order_by("pk")[3:6])
    for username, delegate in zip(DELEGATE_LOGINS, delegates, strict=False):
        user = User.objects.filter(username=username).first() or User(username=username)
        user.first_name, user.last_name, user.is_active = delegate.full_name, "", True
        user.set_password(DELEGATE_PASSWORD)
        user.save()
        RoleAssignment.objects.get_or_create(user=user, council=hy, role=Role.DELEGATE)
        if delegate.user_id != user.pk:
            Delegate.objects.filter(user=user).exclude(pk=delegate.pk).update(user=None)
            delegate.user = user
            delegate.save()
        out(f"    {username:18} {DELEGATE_PASSWORD:14} — delegate {delegate.full_name} (Hưng Yên)")
    session = Session.objects.filter(term=term, title=PAPERLESS_TITLE).first()
    if session is None:
        ordinal = (
            max(Session.objects.filter(term=term).values_list("ordinal", flat=True), default=0) + 1
        )
        session, _ = _session(
            hy,
            term,
            ordinal,
            "thematic",
            today,
            today + dt.timedelta(days=1),
            PAPERLESS_TITLE,
            "Hội trường HĐND tỉnh Hưng Yên",
        )
        _fill(session, held=False, items=4)
    elif session.planned_start != today:
        # A later run: the same session, moved to today and opened again.
        Session.objects.filter(pk=session.pk).update(
            planned_start=today,
            planned_end=today + dt.timedelta(days=1),
            actual_start=today,
            actual_end=None,
            dossier_sent_on=today - dt.timedelta(days=7),
        )
        session.refresh_from_db()
    if session.status != SessionStatus.IN_PROGRESS or session.actual_start != today:
        Session.objects.filter(pk=session.pk).update(
            status=SessionStatus.IN_PROGRESS, actual_start=today, actual_end=None
        )
        session.refresh_from_db()
    if not session.sittings.filter(date=today).exists():
        services.sitting_add(session=session, date=today)
    Questioning.objects.get_or_create(
        council=hy,
        session=session,
        kind="session",
        defaults={
            "held_on": today + dt.timedelta(days=1),
            "title": f"Chất vấn tại {session.ordinal_name} (không giấy)",
            "chair_name": "Trần Quốc Toản",
        },
    )
    out(f"  paperless session in progress today: /sessions/delegate/sessions/{session.pk}/")
