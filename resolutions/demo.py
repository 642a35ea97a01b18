"""Demo register: several hundred resolutions of the Hưng Yên councils (province, districts until
30/06/2025, communes from 01/07/2025) and of Lạng Sơn, 2021–2026, with relations (amended,
replaced, repealed, detailed, corrected), implementation tasks, and the submissions of the demo
sessions adopted from their votes through the real workflow.

Idempotent: a council whose register already has entries is left as it is. Fast: the bulk of
the register is written with simple_history's bulk helper (history rows included)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.db.models import Count, Max
from simple_history.utils import bulk_create_with_history

from councilportal.models import Agency, AgencyKind, Council, FollowUpStatus, OrganKind, Term
from councilportal.web.text import search_normalise
from sessions.models import AgendaItem, Session, SessionStatus, Vote

from . import services
from .models import (
    Field,
    Issuer,
    Kind,
    NumberCounter,
    RelationKind,
    Resolution,
    ResolutionRelation,
    Submission,
    SubmissionStatus,
    VerificationReport,
)

D = dt.date

# (field, normative?, subject template). {y} = the year, {p} = the place.
SUBJECTS: list[tuple[str, bool, str]] = [
    (Field.BUDGET, False, "Về dự toán thu ngân sách nhà nước trên địa bàn {p} năm {n}"),
    (Field.BUDGET, False, "Phê chuẩn quyết toán ngân sách địa phương năm {b}"),
    (Field.BUDGET, True, "Quy định phân cấp nguồn thu, nhiệm vụ chi giữa các cấp ngân sách"),
    (Field.BUDGET, True, "Quy định định mức phân bổ dự toán chi thường xuyên ngân sách năm {n}"),
    (Field.INVESTMENT, False, "Về kế hoạch đầu tư công trung hạn giai đoạn 2021 - 2025"),
    (Field.INVESTMENT, False, "Về điều chỉnh kế hoạch đầu tư công năm {y}"),
    (Field.INVESTMENT, False, "Phê duyệt chủ trương đầu tư dự án đường trục kinh tế {p}"),
    (Field.LAND, True, "Quy định bảng giá đất trên địa bàn {p} giai đoạn 2020 - 2024"),
    (Field.LAND, False, "Thông qua danh mục dự án cần thu hồi đất năm {n}"),
    (Field.LAND, False, "Chấp thuận chuyển mục đích sử dụng đất trồng lúa năm {y}"),
    (Field.LAND, True, "Quy định mức thu phí bảo vệ môi trường đối với khai thác khoáng sản"),
    (Field.AGRICULTURE, True, "Quy định chính sách hỗ trợ phát triển nông nghiệp hàng hóa"),
    (Field.AGRICULTURE, False, "Về kế hoạch xây dựng nông thôn mới nâng cao năm {y}"),
    (Field.INFRASTRUCTURE, False, "Đặt tên đường, phố và công trình công cộng tại {p}"),
    (Field.INFRASTRUCTURE, True, "Quy định mức thu phí sử dụng tạm thời lòng đường, hè phố"),
    (Field.EDUCATION, True, "Quy định mức thu học phí năm học {y} - {n}"),
    (Field.EDUCATION, True, "Quy định chính sách hỗ trợ giáo viên mầm non ngoài công lập"),
    (Field.HEALTH, True, "Quy định giá dịch vụ khám bệnh, chữa bệnh không thuộc bảo hiểm y tế"),
    (Field.HEALTH, False, "Về chính sách hỗ trợ người có công và bảo trợ xã hội năm {y}"),
    (Field.CULTURE, False, "Về kế hoạch phát triển du lịch {p} giai đoạn 2021 - 2025"),
    (Field.CULTURE, True, "Quy định chế độ dinh dưỡng đối với vận động viên, huấn luyện viên"),
    (Field.ORGANISATION, False, "Về việc phê duyệt tổng biên chế công chức năm {n}"),
    (Field.ORGANISATION, False, "Về việc bầu bổ sung Ủy viên Ủy ban nhân dân {p}"),
    (Field.ORGANISATION, False, "Về việc miễn nhiệm Phó Chủ tịch Hội đồng nhân dân"),
    (Field.LEGAL, True, "Quy định mức chi bảo đảm cho công tác hòa giải ở cơ sở"),
    (Field.COUNCIL, False, "Về chương trình giám sát năm {n} của Hội đồng nhân dân"),
    (Field.COUNCIL, False, "Về kết quả giám sát chuyên đề việc giải quyết kiến nghị cử tri"),
    (Field.COUNCIL, False, "Về chất vấn và trả lời chất vấn tại kỳ họp"),
    (Field.COUNCIL, False, "Về kế hoạch tổ chức các kỳ họp thường lệ năm {n}"),
]

BASES = [
    "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
    "Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015",
    "Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015",
]
BASES_2025 = [
    "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
    "Luật Ban hành văn bản quy phạm pháp luật ngày 19 tháng 2 năm 2025",
    "Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2025",
]

# Per council: (years, resolutions per year).
VOLUME = {
    "HY": (range(2021, 2027), 55),
    "HY-KD": (range(2022, 2026), 22),
    "HY-VL": (range(2022, 2026), 20),
    "HY-ND": (range(2025, 2027), 12),
    "HY-PH": (range(2025, 2027), 12),
    "LS": (range(2021, 2027), 25),
}


def _validity(council: Council) -> tuple[dt.date, dt.date]:
    start = max(council.valid_from or D(2021, 7, 1), D(2021, 7, 1))
    end = min(council.valid_to or D(2026, 11, 20), D(2026, 11, 20))
    return start, end


def _body(title: str, normative: bool) -> str:
    title = title[:1].upper() + title[1:]
    lines = [
        "Điều 1. " + ("Phạm vi điều chỉnh và đối tượng áp dụng" if normative else title),
        "Nghị quyết này "
        + ("" if title.startswith("Quy định") else "quy định ")
        + title[0].lower()
        + title[1:]
        + "."
        if normative
        else "Nội dung cụ thể theo Tờ trình và hồ sơ trình kèm theo.",
        "Điều 2. Tổ chức thực hiện",
        "Giao Ủy ban nhân dân tổ chức triển khai thực hiện Nghị quyết.",
        "Thường trực Hội đồng nhân dân, các Ban, các Tổ đại biểu và các đại biểu Hội đồng nhân "
        "dân giám sát việc thực hiện Nghị quyết.",
    ]
    return "\n".join(lines)


# The committee that verifies a submission of each field (DOMAIN.md §4: Pháp chế, Kinh tế –
# Ngân sách, Văn hóa – Xã hội). The Standing Committee's own programmes go to the legal one.
COMMITTEE_OF: dict[str, str] = {
    Field.BUDGET: OrganKind.ECONOMY_BUDGET,
    Field.INVESTMENT: OrganKind.ECONOMY_BUDGET,
    Field.LAND: OrganKind.ECONOMY_BUDGET,
    Field.AGRICULTURE: OrganKind.ECONOMY_BUDGET,
    Field.INFRASTRUCTURE: OrganKind.ECONOMY_BUDGET,
    Field.EDUCATION: OrganKind.CULTURE_SOCIAL,
    Field.HEALTH: OrganKind.CULTURE_SOCIAL,
    Field.CULTURE: OrganKind.CULTURE_SOCIAL,
    Field.ORGANISATION: OrganKind.LEGAL,
    Field.LEGAL: OrganKind.LEGAL,
    Field.COUNCIL: OrganKind.LEGAL,
}


def _field_of(title: str) -> str:
    text = title.lower()
    for words, field in [
        (("học phí", "giáo dục"), Field.EDUCATION),
        (("đầu tư công", "chủ trương đầu tư"), Field.INVESTMENT),
        (("ngân sách", "dự toán", "quyết toán"), Field.BUDGET),
        (("biên chế", "bầu bổ sung"), Field.ORGANISATION),
    ]:
        if any(w in text for w in words):
            return field
    return Field.COUNCIL


def _adopt_session_submissions(council: Council) -> int:
    """The demo sessions' submission items with a passed vote become submissions adopted
    through the real workflow (numbers from the allocator)."""
    agency = Agency.objects.filter(council=council, kind=AgencyKind.PEOPLES_COMMITTEE).first()
    count = 0
    items = (
        AgendaItem.objects.filter(session__council=council, kind="submission")
        .select_related("session")
        .order_by("session__planned_start", "position")
    )
    for item in items:
        if Submission.objects.filter(agenda_item=item).exists():
            continue
        votes = list(Vote.objects.filter(item=item).order_by("held_on", "pk"))
        received = item.session.planned_start - dt.timedelta(days=25)
        field = _field_of(item.title)
        organ = (
            council.organs.filter(
                kind=COMMITTEE_OF.get(field, OrganKind.ECONOMY_BUDGET), term=item.session.term
            ).first()
            or council.organs.filter(kind=OrganKind.ECONOMY_BUDGET, term=item.session.term).first()
        )
        submission = Submission.objects.create(
            council=council,
            reference=f"{item.pk % 150 + 20}/TTr-UBND",
            title=item.title,
            submitted_by=agency,
            received_on=received,
            field=field,
            kind=Kind.NORMATIVE if "học phí" in item.title else Kind.INDIVIDUAL,
            draft_text=_body(
                item.title.removeprefix("Tờ trình ").removeprefix("về "), "học phí" in item.title
            ),
            verifying_organ=organ,
            verification_due=received + dt.timedelta(days=15),
            status=SubmissionStatus.VERIFYING if organ else SubmissionStatus.RECEIVED,
        )
        if organ is not None:
            VerificationReport.objects.create(
                submission=submission,
                organ=organ,
                reference=f"{item.pk % 90 + 10}/BC-{organ.abbreviation.removeprefix('B')}",
                reported_on=received + dt.timedelta(days=12),
                conclusion="agree",
                content="Ban nhất trí với sự cần thiết ban hành và nội dung dự thảo nghị quyết.",
            )
            submission.status = SubmissionStatus.VERIFIED
            submission.save()
        services.submission_put_on_agenda(submission=submission, item=item)
        passed = [v for v in votes if v.passed]
        if passed:
            res = services.submission_adopt(submission=submission, vote=passed[-1])
            res.legal_bases = "\n".join(BASES if res.adopted_on.year < 2025 else BASES_2025)
            res.signed_on = res.adopted_on
            res.signer_name = "Trần Quốc Toản"
            res.save()
            count += 1
    return count


# What the Standing Committee resolves between sessions: the council's own work, never a
# budget nor a legal normative resolution (DOMAIN.md §5).
STANDING_SUBJECTS = [
    "Về việc thành lập Đoàn giám sát chuyên đề năm {y}",
    "Về chương trình giám sát năm {n} của Thường trực Hội đồng nhân dân",
    "Về kế hoạch tiếp công dân của Thường trực Hội đồng nhân dân năm {n}",
    "Về việc tổ chức phiên giải trình của Thường trực Hội đồng nhân dân năm {y}",
]
PER_SESSION = (5, 18)  # a session adopts 5–20 resolutions; the demo keeps a margin
# Where a session falls in a year when the demo adds one: (month, day, length, kind).
SESSION_SLOTS = [
    (12, 8, 3, "regular_end"),
    (7, 10, 3, "regular_mid"),
    (4, 15, 1, "thematic"),
    (9, 25, 1, "thematic"),
    (2, 10, 1, "thematic"),
]


def _term_on(council: Council, day: dt.date) -> Term | None:
    return (
        Term.objects.filter(council=council, start_date__lte=day, end_date__gte=day)
        .order_by("-start_date")
        .first()
    )


def _new_session(council: Council, day: dt.date, length: int, kind: str) -> Session | None:
    """A held session added to carry the register's resolutions, numbered in its term after
    the session before it (or after the last one when that number is taken)."""
    term = _term_on(council, day)
    if term is None:
        return None
    ordinals = set(Session.objects.filter(term=term).values_list("ordinal", flat=True))
    before = (
        Session.objects.filter(term=term, planned_start__lt=day)
        .order_by("-planned_start")
        .values_list("ordinal", flat=True)
        .first()
    )
    ordinal = (before or 0) + 1
    if ordinal in ordinals:
        ordinal = max(ordinals) + 1
    end = day + dt.timedelta(days=length - 1)
    labels = {
        "regular_end": f"Kỳ họp thường lệ cuối năm {day.year}",
        "regular_mid": f"Kỳ họp thường lệ giữa năm {day.year}",
        "thematic": f"Kỳ họp chuyên đề tháng {day.month:02d}/{day.year}",
    }
    return Session.objects.create(
        council=council,
        term=term,
        ordinal=ordinal,
        kind=kind,
        title=labels[kind],
        planned_start=day,
        planned_end=end,
        actual_start=day,
        actual_end=end,
        status=SessionStatus.CLOSED,
        venue=f"Hội trường {council.name}",
        dossier_sent_on=day - dt.timedelta(days=7),
    )


def _sessions_of_year(
    council: Council, first: dt.date, last: dt.date, resolutions: int
) -> list[tuple[Session, int]]:
    """The held sessions of a year that adopt its resolutions, with how many each adopts: the
    demo sessions already there, and regular or thematic sessions added so that each adopts
    between 5 and 18 (at least two sessions in a full year, as the law asks)."""
    held: list[Session] = list(
        Session.objects.filter(
            council=council, planned_start__gte=first, planned_end__lte=last
        ).annotate(adopted=Count("resolutions"))
    )
    wanted = max(-(-resolutions // PER_SESSION[1]), 2 if (last - first).days > 200 else 1)
    wanted = max(1, min(wanted, resolutions // PER_SESSION[0]))
    for month, day, length, kind in SESSION_SLOTS:
        if len(held) >= wanted:
            break
        start = D(first.year, month, day)
        if not (first <= start and start + dt.timedelta(days=length) <= last):
            continue
        if any(abs((s.planned_start - start).days) < 30 for s in held):
            continue
        session = _new_session(council, start, length, kind)
        if session is not None:
            session.adopted = 0  # type: ignore[attr-defined]
            held.append(session)
    held.sort(key=lambda s: s.planned_start)
    if not held:
        return []
    share, extra = divmod(resolutions, len(held))
    plan: list[tuple[Session, int]] = []
    for i, session in enumerate(held):
        target = max(share + (1 if i < extra else 0), PER_SESSION[0])
        plan.append((session, max(target - session.adopted, 0)))  # type: ignore[attr-defined]
    return plan


def _register(council: Council, rng: random.Random) -> list[Resolution]:
    """The register of a council: per year, its resolutions adopted at the year's sessions
    (5–20 a session), and now and then a resolution of its Standing Committee."""
    years, per_year = VOLUME[council.code]
    start, end = _validity(council)
    place = council.unit_name
    taken = {
        (r["issuer"], r["kind"], r["year"]): r["n"]
        for r in Resolution.objects.filter(council=council)
        .values("issuer", "kind", "year")
        .annotate(n=Max("number"))
    }
    entries: list[Resolution] = []
    for year in years:
        first, last = max(start, D(year, 1, 1)), min(end, D(year, 12, 31))
        if first > last:
            continue
        volume = max(round(per_year * ((last - first).days + 1) / 365), PER_SESSION[0] + 1)
        standing = max(1, volume // 10)
        rows: list[tuple[dt.date, Issuer, Session | None]] = []
        for session, count in _sessions_of_year(council, first, last, volume - standing):
            rows += [(session.planned_end, Issuer.COUNCIL, session)] * count
        rows += [
            (
                first + dt.timedelta(days=rng.randrange((last - first).days + 1)),
                Issuer.STANDING,
                None,
            )
            for _ in range(standing)
        ]
        rows.sort(key=lambda row: row[0])
        for day, issuer, at_session in rows:
            field: str
            if issuer == Issuer.STANDING:
                field, normative = Field.COUNCIL, False
                subject = rng.choice(STANDING_SUBJECTS)
            else:
                field, normative, subject = rng.choice(SUBJECTS)
            kind = Kind.NORMATIVE if normative else Kind.INDIVIDUAL
            key = (issuer, kind, year)
            taken[key] = taken.get(key, 0) + 1
            title = subject.format(y=year, n=year + 1, b=year - 1, p=place)
            effective = day + dt.timedelta(days=rng.choice([10, 12, 15, 20]) if normative else 0)
            res = Resolution(
                council=council,
                issuer=issuer,
                kind=kind,
                number=taken[key],
                year=year,
                title=title,
                field=field,
                session=at_session,
                adopted_on=day,
                signed_on=day + dt.timedelta(days=rng.randrange(0, 4)),
                signer_name="Trần Quốc Toản" if council.code == "HY" else "",
                effective_from=effective,
                legal_bases="\n".join(BASES if year < 2025 else BASES_2025),
                body=_body(title, normative),
                gazette_reference=f"Công báo {place} số {rng.randrange(1, 60)}/{year}"
                if normative
                else "",
            )
            res.search_text = search_normalise(
                " ".join([res.symbol, res.title, str(Field(field).label)])
            )
            entries.append(res)
    created = bulk_create_with_history(entries, Resolution, batch_size=500)
    # The allocator continues after the numbers given here.
    for (issuer, kind, year), last_number in taken.items():
        counter, _ = NumberCounter.objects.get_or_create(
            council=council, issuer=issuer, kind=kind, year=year
        )
        if counter.last_number < last_number:
            counter.last_number = last_number
            counter.save(update_fields=["last_number"])
    return list(created)


def _relations(resolutions: list[Resolution], rng: random.Random) -> list[ResolutionRelation]:
    """Later normative resolutions amend, replace or repeal earlier ones on the same subject;
    individual ones are detailed or corrected now and then. No cycles: always newer → older."""
    relations: list[ResolutionRelation] = []
    by_title: dict[str, list[Resolution]] = {}
    ordered = sorted(resolutions, key=lambda r: (r.adopted_on, r.pk))
    for res in ordered:
        earlier = [r for r in by_title.get(res.title[:40], []) if r.adopted_on < res.adopted_on]
        if earlier and res.kind == Kind.NORMATIVE:
            target = earlier[-1]
            roll = rng.random()
            if roll < 0.45:
                kind, partial = RelationKind.REPLACES, False
            elif roll < 0.75:
                kind, partial = RelationKind.AMENDS, False
            elif roll < 0.9:
                kind, partial = RelationKind.REPEALS, True
            else:
                kind, partial = RelationKind.REPEALS, False
            relations.append(
                ResolutionRelation(
                    source=res,
                    target=target,
                    kind=kind,
                    partial=partial,
                    effective_from=res.effective_from,
                    articles="Điều 2" if partial or kind == RelationKind.AMENDS else "",
                )
            )
        elif earlier and res.kind == Kind.INDIVIDUAL and rng.random() < 0.08:
            relations.append(
                ResolutionRelation(
                    source=res,
                    target=earlier[-1],
                    kind=rng.choice([RelationKind.DETAILS, RelationKind.CORRECTS]),
                    effective_from=res.effective_from,
                )
            )
        by_title.setdefault(res.title[:40], []).append(res)
    return relations


def _tasks(council: Council, resolutions: list[Resolution], rng: random.Random) -> int:
    agencies = list(Agency.objects.filter(council=council)[:6])
    if not agencies:
        return 0
    count = 0
    for res in resolutions:
        if res.kind != Kind.NORMATIVE or rng.random() > 0.35:
            continue
        task = services.task_add(
            resolution=res,
            content=f"Triển khai thực hiện Nghị quyết số {res.symbol}; báo cáo kết quả "
            f"thực hiện với Thường trực Hội đồng nhân dân.",
            due_date=res.effective_from + dt.timedelta(days=rng.choice([90, 180, 365])),
            to_agency=rng.choice(agencies),
        )
        if task.due_date < D(2026, 1, 1) and rng.random() < 0.7:
            task.status = FollowUpStatus.DONE
            task.progress = 100
            task.closed_on = task.due_date
            task.save()
        count += 1
    return count


@transaction.atomic
def seed(out: Callable[[str], None], councils: dict[str, Council]) -> None:
    rng = random.Random(20231208)
    adopted = _adopt_session_submissions(councils["HY"])
    total_relations = 0
    total_tasks = 0
    for code in VOLUME:
        council = councils.get(code)
        if (
            council is None
            or Resolution.objects.filter(council=council, submission__isnull=True).exists()
        ):
            continue
        created = _register(council, rng)
        relations = _relations(created, rng)
        bulk_create_with_history(relations, ResolutionRelation, batch_size=500)
        services.lapse_refresh(
            {r.source_id for r in relations}
            | {r.target_id for r in relations}
            | {r.pk for r in created if r.expires_on}
        )
        # A suspended resolution, as the register shows them now and then.
        if created:
            victim = created[len(created) // 3]
            victim.suspended_from = victim.effective_from + dt.timedelta(days=60)
            victim.suspended_to = victim.suspended_from + dt.timedelta(days=90)
            # Only these columns: the lapse dates stored by lapse_refresh above are not in
            # this (older) copy of the row.
            victim.save(update_fields=["suspended_from", "suspended_to"])
        total_relations += len(relations)
        total_tasks += _tasks(council, created, rng)
    out(
        f"  resolutions: {Resolution.objects.count()} ({adopted} adopted at the demo sessions), "
        f"relations: {total_relations}, implementation tasks: {total_tasks}"
    )
