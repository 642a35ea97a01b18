"""Demo data modelled on the seed article: Hưng Yên province council, Khóa XVII (2021–2026),
its committees and delegate groups, the councils below it (districts until 30/06/2025, then
communes), the agencies they work with, and one login per persona.

Idempotent: every record is found by its natural key before it is created, so running it twice
changes nothing. Each domain app may add its own `demo.py` with `seed(out)`; seed_demo runs them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from councilportal.models import (
    Agency,
    AgencyKind,
    Council,
    CouncilLevel,
    Delegate,
    Gender,
    Membership,
    Organ,
    OrganKind,
    Position,
    Role,
    RoleAssignment,
    Term,
)

D = dt.date
DISTRICTS_END = D(2025, 6, 30)  # district level ended on 1 July 2025 (Law 72/2025/QH15)
COMMUNES_START = D(2025, 7, 1)
# Elections for 2026–2031 were held on 15/03/2026; the demo switches terms on 01/04/2026.
TERM_XVII_END = D(2026, 3, 31)
TERM_XVIII_START = D(2026, 4, 1)


@dataclass(frozen=True)
class Persona:
    username: str
    password: str
    full_name: str
    role: str
    council_code: str
    description: str


PERSONAS = [
    Persona(
        "chuyenvien.tinh",
        "HungYen@2026",
        "Nguyễn Thị Lan",
        Role.CLERK,
        "HY",
        "province clerk (Hưng Yên provincial council secretariat)",
    ),
    Persona(
        "chuyenvien.xa",
        "NghiaDan@2026",
        "Phạm Văn Hùng",
        Role.CLERK,
        "HY-ND",
        "commune clerk (Nghĩa Dân commune council)",
    ),
    Persona(
        "lanhdao.tinh",
        "LanhDao@2026",
        "Trần Quốc Toản",
        Role.LEADER,
        "HY",
        "council leader (province and every council below it)",
    ),
    Persona(
        "xuly.donthu",
        "BaoMat@2026",
        "Đỗ Thị Mai",
        Role.HANDLER,
        "HY",
        "confidential petition handler (Hưng Yên provincial council)",
    ),
    Persona(
        "nguoingoai",
        "LangSon@2026",
        "Hoàng Văn Nam",
        Role.CLERK,
        "LS",
        "outsider (clerk of Lạng Sơn, no role on Hưng Yên)",
    ),
]
ADMIN = Persona("quantri", "QuanTri@2026", "Quản trị hệ thống", Role.ADMIN, "", "administrator")

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE_M = ["Văn", "Đức", "Quang", "Minh", "Xuân", "Hữu", "Thanh", "Công"]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Thanh", "Thị Minh", "Ngọc", "Thị Hồng"]
GIVEN_M = ["Hùng", "Dũng", "Tuấn", "Thắng", "Long", "Sơn", "Hải", "Cường", "Phong", "Khánh", "Bình"]
GIVEN_F = ["Hương", "Lan", "Hoa", "Hạnh", "Thảo", "Mai", "Yến", "Nga", "Phương", "Trang", "Linh"]


def _name(i: int) -> tuple[str, str]:
    female = i % 3 == 1
    family = FAMILY[(i * 7) % len(FAMILY)]
    if female:
        return (
            f"{family} {MIDDLE_F[(i * 5) % len(MIDDLE_F)]} {GIVEN_F[(i * 3) % len(GIVEN_F)]}",
            Gender.FEMALE,
        )
    return (
        f"{family} {MIDDLE_M[(i * 5) % len(MIDDLE_M)]} {GIVEN_M[(i * 3) % len(GIVEN_M)]}",
        Gender.MALE,
    )


def _council(
    code: str,
    name: str,
    level: str,
    parent: Council | None,
    place: str,
    admin_name: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Council:
    wanted = {
        "name": name,
        "level": level,
        "parent": parent,
        "place_name": place,
        "administrative_name": admin_name,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }
    council = Council.objects.filter(code=code).first()
    if council is None:
        council = Council(code=code)
    elif all(getattr(council, key) == value for key, value in wanted.items()):
        return council
    for key, value in wanted.items():
        setattr(council, key, value)
    council.save()
    return council


def _term(council: Council, ordinal: int, name: str, start: dt.date, end: dt.date) -> Term:
    term, _ = Term.objects.get_or_create(
        council=council,
        ordinal=ordinal,
        defaults={"name": name, "start_date": start, "end_date": end},
    )
    return term


def _organ(
    council: Council, term: Term, kind: str, name: str, abbr: str = "", units: str = ""
) -> Organ:
    organ, _ = Organ.objects.get_or_create(
        term=term,
        name=name,
        defaults={
            "council": council,
            "kind": kind,
            "abbreviation": abbr,
            "electoral_units": units,
            "established_on": term.start_date,
        },
    )
    return organ


def _delegate(term: Term, full_name: str, **fields: object) -> Delegate:
    delegate = Delegate.objects.filter(term=term, full_name=full_name).first()
    if delegate is not None:
        return delegate
    fields.setdefault("start_date", term.start_date)
    return Delegate.objects.create(term=term, full_name=full_name, **fields)


def _member(organ: Organ, delegate: Delegate, position: str) -> None:
    Membership.objects.get_or_create(
        organ=organ,
        delegate=delegate,
        position=position,
        defaults={"start_date": organ.term.start_date},
    )


def _agency(
    council: Council, name: str, kind: str, parent: Agency | None = None, **extra: str
) -> Agency:
    agency, _ = Agency.objects.get_or_create(
        council=council, name=name, defaults={"kind": kind, "parent": parent, **extra}
    )
    return agency


def _province(out: Callable[[str], None]) -> dict[str, Council]:
    hy = _council(
        "HY", "HĐND tỉnh Hưng Yên", CouncilLevel.PROVINCE, None, "Hưng Yên", "TỈNH HƯNG YÊN"
    )
    tb = _council(
        "TB",
        "HĐND tỉnh Thái Bình",
        CouncilLevel.PROVINCE,
        None,
        "Thái Bình",
        "TỈNH THÁI BÌNH",
        valid_to=DISTRICTS_END,
    )
    hy.predecessors.add(tb)
    districts = {
        "KD": ("huyện Kim Động", "HUYỆN KIM ĐỘNG", "Kim Động"),
        "VL": ("huyện Văn Lâm", "HUYỆN VĂN LÂM", "Văn Lâm"),
        "MH": ("thị xã Mỹ Hào", "THỊ XÃ MỸ HÀO", "Mỹ Hào"),
        "VG": ("huyện Văn Giang", "HUYỆN VĂN GIANG", "Văn Giang"),
        "TP": ("thành phố Hưng Yên", "THÀNH PHỐ HƯNG YÊN", "Hưng Yên"),
    }
    councils = {"HY": hy, "TB": tb}
    for code, (name, admin_name, place) in districts.items():
        councils[f"HY-{code}"] = _council(
            f"HY-{code}",
            f"HĐND {name}",
            CouncilLevel.DISTRICT,
            hy,
            place,
            admin_name,
            valid_to=DISTRICTS_END,
        )
    old_nd = _council(
        "HY-KD-ND",
        "HĐND xã Nghĩa Dân (huyện Kim Động)",
        CouncilLevel.COMMUNE,
        councils["HY-KD"],
        "Kim Động",
        "XÃ NGHĨA DÂN",
        valid_to=DISTRICTS_END,
    )
    old_tl = _council(
        "HY-KD-TL",
        "HĐND xã Toàn Thắng (huyện Kim Động)",
        CouncilLevel.COMMUNE,
        councils["HY-KD"],
        "Kim Động",
        "XÃ TOÀN THẮNG",
        valid_to=DISTRICTS_END,
    )
    new_communes = {
        "ND": ("xã Nghĩa Dân", "XÃ NGHĨA DÂN", "Nghĩa Dân"),
        "PH": ("phường Phố Hiến", "PHƯỜNG PHỐ HIẾN", "Phố Hiến"),
        "MH": ("phường Mỹ Hào", "PHƯỜNG MỸ HÀO", "Mỹ Hào"),
        "VG": ("xã Văn Giang", "XÃ VĂN GIANG", "Văn Giang"),
    }
    for code, (name, admin_name, place) in new_communes.items():
        councils[f"HY-{code}"] = _council(
            f"HY-{code}",
            f"HĐND {name}",
            CouncilLevel.COMMUNE,
            hy,
            place,
            admin_name,
            valid_from=COMMUNES_START,
        )
    councils["HY-ND"].predecessors.add(old_nd, old_tl)
    councils["HY-KD-ND"] = old_nd
    councils["HY-KD-TL"] = old_tl
    ls = _council(
        "LS", "HĐND tỉnh Lạng Sơn", CouncilLevel.PROVINCE, None, "Lạng Sơn", "TỈNH LẠNG SƠN"
    )
    councils["LS"] = ls
    out(f"  councils: {Council.objects.count()}")
    return councils


def _province_term(
    hy: Council,
    ordinal: int,
    roman: str,
    start: dt.date,
    end: dt.date,
    leaders: list[tuple[str, str, str]],
    seed: int,
) -> None:
    term = _term(hy, ordinal, f"Khóa {roman}", start, end)
    standing = _organ(hy, term, OrganKind.STANDING_COMMITTEE, "Thường trực HĐND tỉnh", "TT HĐND")
    committees = [
        _organ(hy, term, OrganKind.LEGAL, "Ban Pháp chế", "BPC"),
        _organ(hy, term, OrganKind.ECONOMY_BUDGET, "Ban Kinh tế - Ngân sách", "BKTNS"),
        _organ(hy, term, OrganKind.CULTURE_SOCIAL, "Ban Văn hóa - Xã hội", "BVHXH"),
    ]
    units = [
        ("thành phố Hưng Yên", "Đơn vị bầu cử số 1"),
        ("huyện Kim Động", "Đơn vị bầu cử số 2"),
        ("huyện Ân Thi", "Đơn vị bầu cử số 3"),
        ("huyện Khoái Châu", "Đơn vị bầu cử số 4"),
        ("huyện Văn Giang", "Đơn vị bầu cử số 5"),
        ("huyện Văn Lâm", "Đơn vị bầu cử số 6"),
        ("thị xã Mỹ Hào", "Đơn vị bầu cử số 7"),
        ("huyện Yên Mỹ", "Đơn vị bầu cử số 8"),
        ("huyện Phù Cừ", "Đơn vị bầu cử số 9"),
        ("huyện Tiên Lữ", "Đơn vị bầu cử số 10"),
    ]
    groups = [
        _organ(hy, term, OrganKind.DELEGATE_GROUP, f"Tổ đại biểu {place}", units=unit)
        for place, unit in units
    ]
    delegates: list[Delegate] = []
    for i in range(60):
        if i < len(leaders):
            name, gender, position = leaders[i]
        else:
            name, gender = _name(seed + i)
            position = "Đại biểu HĐND tỉnh"
        group = groups[i % len(groups)]
        delegate = _delegate(
            term,
            name,
            gender=gender,
            position=position,
            electoral_unit=group.electoral_units,
            delegate_group=group,
            is_full_time=i < 12,
        )
        delegates.append(delegate)
    # One delegate left office during the term: the count on a date must reflect it.
    leaver = delegates[-1]
    if ordinal == 17 and leaver.end_date is None:
        leaver.end_date = D(2024, 9, 30)
        leaver.end_reason = "Chuyển công tác ngoài tỉnh, thôi làm nhiệm vụ đại biểu"
        leaver.save()
    _member(standing, delegates[0], Position.CHAIR)
    _member(standing, delegates[1], Position.VICE_CHAIR)
    _member(standing, delegates[2], Position.VICE_CHAIR)
    for n, committee in enumerate(committees):
        head = delegates[3 + n * 3]
        _member(committee, head, Position.HEAD)
        _member(standing, head, Position.MEMBER)
        _member(committee, delegates[4 + n * 3], Position.DEPUTY_HEAD)
        _member(committee, delegates[5 + n * 3], Position.DEPUTY_HEAD)
        for d in delegates[12 + n * 8 : 20 + n * 8]:
            _member(committee, d, Position.MEMBER)
    for n, group in enumerate(groups):
        members = [d for d in delegates if d.delegate_group_id == group.pk]
        if members:
            _member(group, members[0], Position.HEAD)
            if len(members) > 1:
                _member(group, members[1], Position.DEPUTY_HEAD)
            for d in members[2:]:
                _member(group, d, Position.MEMBER)
        del n


def _small_council(
    council: Council, start: dt.date, end: dt.date, ordinal: int, roman: str, size: int, seed: int
) -> None:
    term = _term(council, ordinal, f"Khóa {roman}", start, end)
    standing = _organ(
        council, term, OrganKind.STANDING_COMMITTEE, f"Thường trực {council.name}", "TT HĐND"
    )
    econ = _organ(council, term, OrganKind.ECONOMY_BUDGET, "Ban Kinh tế - Ngân sách", "BKTNS")
    social = _organ(council, term, OrganKind.CULTURE_SOCIAL, "Ban Văn hóa - Xã hội", "BVHXH")
    delegates = [
        _delegate(
            term,
            _name(seed + i)[0],
            gender=_name(seed + i)[1],
            position=f"Đại biểu {council.name}",
            electoral_unit=f"Đơn vị bầu cử số {i % 4 + 1}",
            is_full_time=i < 3,
            start_date=start,
        )
        for i in range(size)
    ]
    _member(standing, delegates[0], Position.CHAIR)
    _member(standing, delegates[1], Position.VICE_CHAIR)
    _member(econ, delegates[2], Position.HEAD)
    _member(social, delegates[3], Position.HEAD)
    _member(standing, delegates[2], Position.MEMBER)
    _member(standing, delegates[3], Position.MEMBER)
    for d in delegates[4:9]:
        _member(econ, d, Position.MEMBER)
    for d in delegates[9:14]:
        _member(social, d, Position.MEMBER)


def _agencies(councils: dict[str, Council]) -> None:
    hy = councils["HY"]
    ubnd = _agency(
        hy,
        "Ủy ban nhân dân tỉnh Hưng Yên",
        AgencyKind.PEOPLES_COMMITTEE,
        short_name="UBND tỉnh",
        address="Số 10 đường Chùa Chuông, phường Phố Hiến, tỉnh Hưng Yên",
        phone="0221 3862 515",
        email="ubnd@hungyen.gov.vn",
    )
    for name, short in [
        ("Sở Tài chính tỉnh Hưng Yên", "Sở TC"),
        ("Sở Nông nghiệp và Môi trường tỉnh Hưng Yên", "Sở NN&MT"),
        ("Sở Xây dựng tỉnh Hưng Yên", "Sở XD"),
        ("Sở Y tế tỉnh Hưng Yên", "Sở YT"),
        ("Sở Giáo dục và Đào tạo tỉnh Hưng Yên", "Sở GD&ĐT"),
        ("Sở Tư pháp tỉnh Hưng Yên", "Sở TP"),
        ("Sở Nội vụ tỉnh Hưng Yên", "Sở NV"),
        ("Thanh tra tỉnh Hưng Yên", "TTr tỉnh"),
    ]:
        _agency(hy, name, AgencyKind.DEPARTMENT, ubnd, short_name=short)
    _agency(hy, "Công an tỉnh Hưng Yên", AgencyKind.POLICE, short_name="CA tỉnh")
    _agency(hy, "Tòa án nhân dân tỉnh Hưng Yên", AgencyKind.COURT, short_name="TAND tỉnh")
    _agency(
        hy, "Viện kiểm sát nhân dân tỉnh Hưng Yên", AgencyKind.PROCURACY, short_name="VKSND tỉnh"
    )
    _agency(
        hy,
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hưng Yên",
        AgencyKind.FATHERLAND_FRONT,
        short_name="UBMTTQ tỉnh",
    )
    _agency(hy, "Thi hành án dân sự tỉnh Hưng Yên", AgencyKind.ENFORCEMENT, short_name="THADS tỉnh")
    for code, council in councils.items():
        if council.level == CouncilLevel.PROVINCE or code in {"HY-KD-ND", "HY-KD-TL"}:
            continue
        unit = council.name.removeprefix("HĐND ")
        _agency(council, f"Ủy ban nhân dân {unit}", AgencyKind.PEOPLES_COMMITTEE, short_name="UBND")
        _agency(
            council,
            f"Ủy ban Mặt trận Tổ quốc Việt Nam {unit}",
            AgencyKind.FATHERLAND_FRONT,
            short_name="UBMTTQ",
        )
    _agency(
        councils["LS"],
        "Ủy ban nhân dân tỉnh Lạng Sơn",
        AgencyKind.PEOPLES_COMMITTEE,
        short_name="UBND tỉnh",
    )


def _users(councils: dict[str, Council], out: Callable[[str], None]) -> None:
    User = get_user_model()
    out("  logins (username / password — role):")
    for persona in [*PERSONAS, ADMIN]:
        user = User.objects.filter(username=persona.username).first()
        if user is None:
            user = User(username=persona.username)
        # Vietnamese names read family-first: keep the whole name in one field.
        user.first_name, user.last_name = persona.full_name, ""
        user.is_active = True
        if persona is ADMIN:
            user.is_staff = user.is_superuser = True
        user.set_password(persona.password)
        user.save()
        if persona.council_code:
            RoleAssignment.objects.get_or_create(
                user=user, council=councils[persona.council_code], role=persona.role
            )
        out(f"    {persona.username:18} {persona.password:14} — {persona.description}")
    out(
        "  quantri and xuly.donthu must use two-step log-in: at their first log-in the portal"
        " shows a QR code (and its key) to add to an authenticator app, then asks for a code."
    )


@transaction.atomic
def seed_core(out: Callable[[str], None]) -> dict[str, Council]:
    councils = _province(out)
    chair = ("Trần Quốc Toản", Gender.MALE, "Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh")
    _province_term(
        councils["HY"],
        17,
        "XVII",
        D(2021, 6, 25),
        TERM_XVII_END,
        [
            chair,
            ("Lê Xuân Tiến", Gender.MALE, "Phó Chủ tịch Thường trực HĐND tỉnh"),
            ("Trần Thị Tuyết Hương", Gender.FEMALE, "Phó Chủ tịch HĐND tỉnh"),
        ],
        0,
    )
    _province_term(
        councils["HY"],
        18,
        "XVIII",
        TERM_XVIII_START,
        D(2031, 3, 31),
        [
            chair,
            ("Nguyễn Thị Thu Hà", Gender.FEMALE, "Phó Chủ tịch Thường trực HĐND tỉnh"),
            ("Vũ Đức Thắng", Gender.MALE, "Phó Chủ tịch HĐND tỉnh"),
        ],
        1000,
    )
    _small_council(councils["HY-KD"], D(2021, 6, 20), DISTRICTS_END, 20, "XX", 30, 100)
    _small_council(councils["HY-VL"], D(2021, 6, 20), DISTRICTS_END, 20, "XX", 28, 200)
    _small_council(councils["HY-ND"], COMMUNES_START, TERM_XVII_END, 1, "I", 18, 300)
    _small_council(councils["HY-ND"], TERM_XVIII_START, D(2031, 3, 31), 2, "II", 18, 350)
    _small_council(councils["HY-PH"], COMMUNES_START, TERM_XVII_END, 1, "I", 20, 400)
    _small_council(councils["HY-PH"], TERM_XVIII_START, D(2031, 3, 31), 2, "II", 20, 450)
    _small_council(councils["LS"], D(2021, 6, 25), TERM_XVII_END, 17, "XVII", 20, 500)
    _small_council(councils["LS"], TERM_XVIII_START, D(2031, 3, 31), 18, "XVIII", 20, 550)
    _agencies(councils)
    _users(councils, out)
    out(
        f"  terms: {Term.objects.count()}, organs: {Organ.objects.count()}, "
        f"delegates: {Delegate.objects.count()}, agencies: {Agency.objects.count()}"
    )
    return councils
