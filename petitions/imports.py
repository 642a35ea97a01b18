"""Import kinds of the petitions app: voters' recommendations (ý kiến, kiến nghị cử tri) and
petitions (the register of earlier years). A petitioner's identity is encrypted as it is
written; a denouncer's identity is imported only by the council's confidential petition handler
(or the machine's operator from the command line)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from councilportal.importing import (
    ImportColumn,
    ImportKind,
    by_natural_key,
    choice,
    register_import,
    yes_no,
)
from councilportal.models import Agency, Council, Organ
from sessions.models import Session

from .forms import RecommendationForm
from .models import Field, Petition, RecommendationOutcome, VoterRecommendation

DATE = "dd/mm/yyyy"


class RecommendationImportForm(RecommendationForm):
    """The interface's form without the meetings (they are linked in the portal)."""

    class Meta(RecommendationForm.Meta):
        fields = [f for f in RecommendationForm.Meta.fields if f != "meetings"]


def _match(values: dict[str, Any]) -> Any:
    session, council = values.get("session"), values.get("council")
    if not isinstance(session, int) or not isinstance(council, int):
        return None
    return VoterRecommendation.objects.filter(
        council_id=council,
        session_id=session,
        content=values.get("content", ""),
        merged_into__isnull=True,
    ).first()


register_import(
    ImportKind(
        key="voter-recommendations",
        label=_("Voters' recommendations"),
        model=VoterRecommendation,
        form_class=RecommendationImportForm,
        match=_match,
        match_rule="Mã HĐND + Khóa + Kỳ họp thứ + Nội dung",
        columns=[
            ImportColumn(
                "Mã HĐND",
                "council",
                True,
                "mã đã có",
                "HY",
                by_natural_key(Council, "code"),
                out="council.code",
            ),
            ImportColumn(
                "Khóa (số)",
                "term_ordinal",
                True,
                "số thứ tự của khóa",
                "17",
                out="session.term.ordinal",
            ),
            ImportColumn(
                "Kỳ họp thứ",
                "session",
                True,
                "kỳ họp nguồn của kiến nghị",
                "15",
                by_natural_key(
                    Session, "ordinal", council_id="council", term__ordinal="term_ordinal"
                ),
                out="session.ordinal",
            ),
            ImportColumn("Nội dung", "content", True, "", "Đề nghị sửa chữa đường liên xã"),
            ImportColumn(
                "Lĩnh vực", "field", True, "xem danh mục lĩnh vực", "Khác", choice(Field.choices)
            ),
            ImportColumn(
                "Ban thẩm tra",
                "committee",
                False,
                "tên Ban đã có",
                "",
                by_natural_key(Organ, "name", council_id="council"),
                out="committee.name",
            ),
            ImportColumn(
                "Cơ quan nhận",
                "agency",
                False,
                "tên cơ quan đã có",
                "",
                by_natural_key(Agency, "name", council_id="council"),
                out="agency.name",
            ),
            ImportColumn("Địa bàn cử tri", "locality", False, "", "Xã Nghĩa Dân"),
            ImportColumn("Số lần phản ánh", "times_raised", True, "số", "1"),
            ImportColumn("Ngày chuyển", "forwarded_on", False, DATE, ""),
            ImportColumn("Văn bản trả lời", "answer_reference", False, "", ""),
            ImportColumn("Ngày trả lời", "answered_on", False, DATE, ""),
            ImportColumn("Nội dung trả lời", "answer_summary", False, "", ""),
            ImportColumn(
                "Kết quả",
                "outcome",
                True,
                "xem danh mục kết quả",
                "Chờ trả lời",
                choice(RecommendationOutcome.choices),
            ),
        ],
    )  # fmt: skip
)


# Petitions ----------------------------------------------------------------------------------
# Years of a secretariat's register come in one workbook: rows are validated in Python and
# written in batches (with their history rows), all or nothing, instead of one form each.

PETITION_COLUMNS = [
    ImportColumn("Mã HĐND", "council", True, "mã đã có", "HY"),
    ImportColumn("Số đơn", "number", False, "để trống: lấy số tiếp theo của năm", ""),
    ImportColumn("Ngày nhận", "received_on", True, DATE, "05/01/2023"),
    ImportColumn("Hình thức tiếp nhận", "channel", True,
                 "Trực tiếp / Qua bưu điện / Do cơ quan, tổ chức khác chuyển đến / Qua thư điện tử",
                 "Qua bưu điện"),
    ImportColumn("Trích yếu", "subject", True, "", "Khiếu nại quyết định thu hồi đất"),
    ImportColumn("Loại đơn", "kind", True, "Khiếu nại / Tố cáo / Kiến nghị / Phản ánh",
                 "Khiếu nại"),
    ImportColumn("Lĩnh vực", "field", True, "xem danh mục lĩnh vực", "Đất đai, nhà ở"),
    ImportColumn("Địa bàn", "locality", False, "", "Xã Nghĩa Dân"),
    ImportColumn("Người, quyết định bị khiếu nại, tố cáo", "accused", False, "",
                 "Quyết định số 12/QĐ-UBND"),
    ImportColumn("Nội dung", "content", True, "", "Đề nghị xem xét lại mức bồi thường"),
    ImportColumn("Họ tên người gửi đơn", "full_name", False,
                 "bắt buộc trừ đơn nặc danh; đơn tố cáo: chỉ người xử lý đơn thư bảo mật",
                 "Nguyễn Văn An"),
    ImportColumn("Địa chỉ người gửi đơn", "address", False, "", "Thôn Đông, xã Nghĩa Dân"),
    ImportColumn("Điện thoại", "phone", False, "", ""),
    ImportColumn("Số định danh cá nhân", "id_number", False, "", ""),
    ImportColumn("Đơn nặc danh", "is_anonymous", False, "Có / Không", "Không", yes_no),
]  # fmt: skip


def import_petitions(
    kind: ImportKind, header: list[str], rows: Any, user: Any, report: Any
) -> None:
    import datetime as dt

    from django.utils import timezone
    from django.utils.translation import gettext

    from councilportal.deadlines import WorkingCalendar, count_days
    from councilportal.importing import RowResult, text
    from councilportal.models import RoleAssignment, Rule
    from councilportal.text import search_normalise

    from .crypto import blind_index
    from .models import Channel, ItemKind, Petition, Petitioner, PetitionItem
    from .models import Field as PetitionField
    from .services import TRIAGE_RULE

    where = {search_normalise(h): i for i, h in enumerate(header)}
    position = {c.field: where.get(search_normalise(c.header)) for c in kind.columns}
    councils = {c.code: c for c in Council.objects.editable_by(user)}
    handles = set(
        RoleAssignment.objects.filter(user_id=user.pk or 0, role="handler").values_list(
            "council_id", flat=True
        )
    )
    operator = user.pk is None  # the command line: the machine's operator
    channels, kinds = choice(Channel.choices), choice(ItemKind.choices)
    fields = choice(PetitionField.choices)
    valid = {
        "channel": set(Channel.values),
        "kind": set(ItemKind.values),
        "field": set(PetitionField.values),
    }
    today = timezone.localdate()
    rules = list(Rule.objects.filter(key__in=set(TRIAGE_RULE.values())))
    calendar = WorkingCalendar()

    def rule_for(key: str, on: dt.date, council: Council) -> Any:
        candidates = [
            r
            for r in rules
            if r.key == key
            and r.valid_from <= on
            and (r.valid_to is None or on <= r.valid_to)
            and r.council_id in (None, council.pk)
        ]
        candidates.sort(key=lambda r: (r.council_id is None, -r.valid_from.toordinal()))
        return candidates[0] if candidates else None

    parsed: list[tuple[int, Any, dt.date, int | None, dict[str, str], dict[str, str], bool]] = []
    for line, raw in enumerate(rows, start=2):
        cells = {
            f: (text(raw[i]) if i is not None and i < len(raw) else "") for f, i in position.items()
        }
        if not any(cells.values()):
            continue
        errors: list[str] = []
        council = councils.get(cells["council"])
        if council is None:
            errors.append(gettext("Mã HĐND: no council you may write has this code."))
        try:
            received = dt.datetime.strptime(cells["received_on"], "%d/%m/%Y").date()
            if received > today:
                errors.append(gettext("Ngày nhận: the date received cannot be in the future."))
        except ValueError:
            received = None
            errors.append(gettext("Ngày nhận: enter a date as dd/mm/yyyy."))
        values = {
            "channel": channels(cells["channel"], cells),
            "kind": kinds(cells["kind"], cells),
            "field": fields(cells["field"], cells),
        }
        for name, header_name in (("channel", "Hình thức tiếp nhận"), ("kind", "Loại đơn"),
                                  ("field", "Lĩnh vực")):  # fmt: skip
            if values[name] not in valid[name]:
                errors.append(
                    gettext("%(column)s: not one of the choices.") % {"column": header_name}
                )
        for name, header_name, limit in (("subject", "Trích yếu", 300),
                                         ("content", "Nội dung", 10_000),
                                         ("locality", "Địa bàn", 200),
                                         ("accused", "Người, quyết định bị khiếu nại, tố cáo", 300),
                                         ("full_name", "Họ tên người gửi đơn", 200)):  # fmt: skip
            if len(cells[name]) > limit:
                errors.append(
                    gettext("%(column)s: at most %(n)d characters.")
                    % {"column": header_name, "n": limit}
                )
        for name, header_name in (("subject", "Trích yếu"), ("content", "Nội dung")):
            if not cells[name]:
                errors.append(
                    gettext("%(column)s: this field is required.") % {"column": header_name}
                )
        anonymous = bool(yes_no(cells["is_anonymous"], cells))
        identity = [cells[f] for f in ("full_name", "address", "phone", "id_number")]
        if not anonymous and not cells["full_name"]:
            errors.append(
                gettext("Enter the petitioner's name, or mark the petition as anonymous.")
            )
        if (
            values["kind"] == ItemKind.DENUNCIATION
            and any(identity)
            and council is not None
            and not (operator or council.pk in handles)
        ):
            errors.append(
                gettext(
                    "A denouncer's identity is imported only by the confidential petition handler."
                )
            )
        typed = cells["number"]
        # ASCII digits only ("²".isdigit() is true, and int() refuses it), and a number the
        # register's column holds.
        if typed and not (typed.isascii() and typed.isdigit() and 0 < int(typed) < 2**31):
            errors.append(gettext("Số đơn: enter a whole number."))
        if errors:
            report.rows.append(RowResult(line, "error", errors=errors))
            continue
        assert council is not None and received is not None  # no error: both were read
        given = int(typed) if typed else None
        parsed.append((line, council, received, given, values, cells, anonymous))

    if report.errors:
        return
    # Numbers: the given ones must be new; the others follow the year's last number.
    last: dict[tuple[int, int], int] = {}
    taken: dict[tuple[int, int], set[int]] = {}
    for key in {(c.pk, r.year) for _line, c, r, *_rest in parsed}:
        existing = set(
            Petition.objects.filter(council_id=key[0], year=key[1]).values_list("number", flat=True)
        )
        taken[key] = existing
        last[key] = max(existing, default=0)
    petitions, items, people = [], [], []
    for line, council, received, given, values, cells, anonymous in parsed:
        key = (council.pk, received.year)
        if given is None:
            last[key] = max(last[key], max(taken[key], default=0)) + 1
            number = last[key]
        elif given in taken[key]:
            report.rows.append(
                RowResult(
                    line, "error", errors=[gettext("Số đơn: this number is already registered.")]
                )
            )
            continue
        else:
            number = given
        taken[key].add(number)
        petition = Petition(
            council=council,
            year=received.year,
            number=number,
            channel=values["channel"],
            received_on=received,
            subject=cells["subject"],
            is_anonymous=anonymous,
            created_by=user if user.pk else None,
            search_text=search_normalise(
                f"{cells['subject']} {cells['content']} {cells['locality']} {cells['accused']}"
            ),
        )
        item = PetitionItem(
            position=1,
            kind=values["kind"],
            field=values["field"],
            content=cells["content"],
            locality=cells["locality"],
            accused=cells["accused"],
        )
        rule_key = TRIAGE_RULE[ItemKind(values["kind"])]
        found = rule_for(rule_key, received, council)
        if found is not None:
            deadline = count_days(received, found.days, found.unit, calendar=calendar)
            item.triage_due = deadline.date
            item.triage_rule = rule_key
            item.triage_explanation = f"{deadline.explanation}; {found.legal_basis}"[:300]
        person = None
        if any(cells[f] for f in ("full_name", "address", "phone", "id_number")):
            person = Petitioner(
                position=1,
                full_name=cells["full_name"],
                address=cells["address"],
                phone=cells["phone"],
                id_number=cells["id_number"],
                name_index=blind_index(cells["full_name"]),
                phone_index=blind_index(cells["phone"]),
                id_index=blind_index(cells["id_number"]),
            )
        petitions.append(petition)
        items.append(item)
        people.append(person)
        report.rows.append(RowResult(line, "create", label=str(cells["subject"])[:80]))
    if report.errors:
        return
    for start in range(0, len(petitions), 5000):
        chunk = petitions[start : start + 5000]
        _bulk_with_history(Petition, chunk, user)
        chunk_items = items[start : start + 5000]
        chunk_people = people[start : start + 5000]
        for petition, item, person in zip(chunk, chunk_items, chunk_people, strict=True):
            item.petition = petition
            if person is not None:
                person.petition = petition
        _bulk_with_history(PetitionItem, chunk_items, user)
        _bulk_with_history(Petitioner, [p for p in chunk_people if p is not None], user)


def _bulk_with_history(model: Any, objects: list[Any], user: Any) -> None:
    """bulk_create and one "created" history row per record, like a save would write (the
    history library's own bulk helper spends most of its time building a manager per row)."""
    from django.utils import timezone

    if not objects:
        return
    model.objects.bulk_create(objects, batch_size=1000)
    history = model.history.model
    fields = [field.attname for field in history.tracked_fields]
    now = timezone.now()
    user_id = getattr(user, "pk", None)
    history.objects.bulk_create(
        [
            history(
                history_date=now,
                history_type="+",
                history_user_id=user_id,
                **{name: getattr(obj, name) for name in fields},
            )
            for obj in objects
        ],
        batch_size=1000,
    )


def _petition_match(values: dict[str, Any]) -> Any:
    return None


register_import(
    ImportKind(
        key="petitions",
        label=_("Petitions"),
        model=Petition,
        form_class=RecommendationImportForm,  # unused: petitions are written in bulk
        match=_petition_match,
        match_rule="Mã HĐND + năm + Số đơn (số đã có bị từ chối)",
        columns=PETITION_COLUMNS,
        bulk=import_petitions,
    )
)
