"""Import kinds of the petitions app: voters' recommendations (ý kiến, kiến nghị cử tri) and
petitions (the register of earlier years). A petitioner's identity is encrypted as it is
written; a denouncer's identity is imported only by the council's confidential petition handler
(or the machine's operator from the command line)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from councilportal.models import Agency, Council, Organ
from councilportal.spreadsheets.importing import (
    DATE,
    ImportColumn,
    ImportKind,
    Operator,
    by_natural_key,
    choice,
    council_column,
    match_on,
    register_import,
    yes_no,
)
from councilportal.typing import User
from sessions.models import Session

from .forms import RecommendationForm
from .models import Field, Petition, RecommendationOutcome, VoterRecommendation


class RecommendationImportForm(RecommendationForm):
    """The interface's form without the meetings (they are linked in the portal)."""

    class Meta(RecommendationForm.Meta):
        fields = [f for f in RecommendationForm.Meta.fields if f != "meetings"]


register_import(
    ImportKind(
        key="voter-recommendations",
        register="petitions:recommendation-list",
        label=_("Voters' recommendations"),
        model=VoterRecommendation,
        form_class=RecommendationImportForm,
        match=match_on(
            VoterRecommendation,
            council_id="council",
            session_id="session",
            content="content",
            where={"merged_into__isnull": True},
        ),
        match_rule="Mã HĐND + Khóa + Kỳ họp thứ + Nội dung",
        columns=[
            council_column(),
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
            # The forwarding and the answer: the follow-up's, written by the form's `save`.
            ImportColumn("Ngày chuyển", "forwarded_on", False, DATE, "", out="follow_up.sent_on"),
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
    # The handling already done (a register of earlier years): forwarded to which agency,
    # when, on which slip; and the agency's answer. Written through the forwarding service.
    ImportColumn("Cơ quan được chuyển đơn", "forward_agency", False,
                 "tên cơ quan đã có của HĐND; để trống: đơn chưa xử lý", ""),
    ImportColumn("Ngày chuyển đơn", "forwarded_on", False, DATE, ""),
    ImportColumn("Số phiếu chuyển", "slip_number", False,
                 "để trống: lấy số tiếp theo của năm", ""),
    ImportColumn("Ngày nhận trả lời", "answered_on", False, DATE, ""),
    ImportColumn("Số văn bản trả lời", "answer_reference", False, "", ""),
    ImportColumn("Kết quả giải quyết", "answer_content", False,
                 "bắt buộc khi có ngày nhận trả lời", ""),
]  # fmt: skip


def import_petitions(
    kind: ImportKind, header: list[str], rows: Any, user: User | Operator, report: Any
) -> None:
    """Validate every row in Python (the same rules as the petition form and the intake
    service), then write the petitions, their items and petitioners with one history row each,
    in bulk. Conversions that repeat across rows (dates, choices, triage deadlines) are worked
    out once per distinct value."""
    import datetime as dt

    from django.utils import timezone
    from django.utils.translation import gettext

    from councilportal.deadlines import RuleBook
    from councilportal.spreadsheets.bulk import insert_with_history
    from councilportal.spreadsheets.importing import RowResult, text
    from councilportal.web.text import search_normalise

    from .crypto import blind_index
    from .models import Channel, ItemKind, Petition, Petitioner, PetitionItem
    from .models import Field as PetitionField
    from .services import (
        TRIAGE_RULE,
        ItemData,
        handled_councils,
        may_import_identity,
        petition_search_text,
        triage_due_for,
    )

    where = {search_normalise(h): i for i, h in enumerate(header)}
    position = [(c.field, where.get(search_normalise(c.header))) for c in kind.columns]
    # The operator is a duck-typed superuser, which the scopes accept.
    councils = {c.code: c for c in Council.objects.editable_by(user)}  # type: ignore[arg-type]
    agencies = {
        (a.council_id, search_normalise(a.name)): a
        for a in Agency.objects.filter(council__in=list(councils.values()))
    }
    handled = handled_councils(user)
    converters = {
        "channel": choice(Channel.choices),
        "kind": choice(ItemKind.choices),
        "field": choice(PetitionField.choices),
    }
    valid = {
        "channel": set(Channel.values),
        "kind": set(ItemKind.values),
        "field": set(PetitionField.values),
    }
    choice_labels = {"channel": "Hình thức tiếp nhận", "kind": "Loại đơn", "field": "Lĩnh vực"}
    valid_labels = {
        name: (lambda c=c: ", ".join(str(label) for _value, label in c))
        for name, c in (
            ("channel", Channel.choices),
            ("kind", ItemKind.choices),
            ("field", PetitionField.choices),
        )
    }
    limits = (("subject", "Trích yếu", 300), ("content", "Nội dung", 10_000),
              ("locality", "Địa bàn", 200),
              ("accused", "Người, quyết định bị khiếu nại, tố cáo", 300),
              ("full_name", "Họ tên người gửi đơn", 200))  # fmt: skip
    today = timezone.localdate()
    book = RuleBook(set(TRIAGE_RULE.values()))  # the rules, loaded once for every row

    # Values met in many rows, converted once.
    dates: dict[str, dt.date | None] = {}
    choices_seen: dict[tuple[str, str], str] = {}
    flags: dict[str, bool] = {}

    def date_of(raw: str) -> dt.date | None:
        if raw not in dates:
            try:
                dates[raw] = dt.datetime.strptime(raw, "%d/%m/%Y").date()
            except ValueError:
                dates[raw] = None
        return dates[raw]

    def choice_of(name: str, raw: str) -> str:
        key = (name, raw)
        if key not in choices_seen:
            choices_seen[key] = converters[name](raw, {})
        return choices_seen[key]

    parsed: list[
        tuple[int, Any, dt.date, int | None, dict[str, str], dict[str, str], bool, Any]
    ] = []
    for line, raw in enumerate(rows, start=2):
        size = len(raw)
        cells = {f: (text(raw[i]) if i is not None and i < size else "") for f, i in position}
        if not any(cells.values()):
            continue
        errors: list[str] = []
        council = councils.get(cells["council"])
        if council is None:
            errors.append(gettext("Mã HĐND: no council you may write has this code."))
        received = date_of(cells["received_on"])
        if received is None:
            errors.append(gettext("Ngày nhận: enter a date as dd/mm/yyyy."))
        elif received > today:
            errors.append(gettext("Ngày nhận: the date received cannot be in the future."))
        values = {name: choice_of(name, cells[name]) for name in converters}
        for name, header_name in choice_labels.items():
            if values[name] not in valid[name]:
                errors.append(
                    gettext(
                        "%(column)s: “%(raw)s” is not one of the choices. Valid values: %(valid)s."
                    )
                    % {"column": header_name, "raw": cells[name], "valid": valid_labels[name]()}
                )
        for name, header_name, limit in limits:
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
        flag = cells["is_anonymous"]
        if flag not in flags:
            flags[flag] = bool(yes_no(flag, cells))
        anonymous = flags[flag]
        identity = [cells[f] for f in ("full_name", "address", "phone", "id_number")]
        if not anonymous and not cells["full_name"]:
            errors.append(
                gettext("Enter the petitioner's name, or mark the petition as anonymous.")
            )
        if (
            any(identity)
            and council is not None
            and not may_import_identity(
                kind=values["kind"], council=council, handled=handled, by=user
            )
        ):
            errors.append(
                gettext(
                    "A denouncer's identity is imported only by the confidential petition handler."
                )
            )
        forward = _forwarding_of(cells, council, received, agencies, date_of, today, errors)
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
        parsed.append((line, council, received, given, values, cells, anonymous, forward))

    if report.errors:
        return
    # Numbers: the given ones must be new; the others follow the year's highest number (read
    # once per council and year, then kept up to date row by row).
    taken: dict[tuple[int, int], set[int]] = {}
    highest: dict[tuple[int, int], int] = {}
    # The council rows are the numbering lock, as in the intake service (petition_receive).
    list(
        Council.objects.select_for_update()
        .filter(pk__in={c.pk for _line, c, *_rest in parsed})
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for key in {(c.pk, r.year) for _line, c, r, *_rest in parsed}:
        existing = set(
            Petition.objects.filter(council_id=key[0], year=key[1]).values_list("number", flat=True)
        )
        taken[key] = existing
        highest[key] = max(existing, default=0)
    created_by = user.pk if user.pk else None
    petitions: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    people: list[dict[str, Any] | None] = []
    forwards: list[tuple[int, Any]] = []  # (line, forwarding or None), as the items
    for line, council, received, given, values, cells, anonymous, forward in parsed:
        key = (council.pk, received.year)
        if given is None:
            number = highest[key] + 1
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
        highest[key] = max(highest[key], number)
        data = ItemData(
            kind=values["kind"],
            field=values["field"],
            content=cells["content"],
            locality=cells["locality"],
            accused=cells["accused"],
        )
        petitions.append(
            {
                "council_id": council.pk,
                "year": received.year,
                "number": number,
                "channel": values["channel"],
                "received_on": received,
                "subject": cells["subject"],
                "is_anonymous": anonymous,
                "created_by_id": created_by,
                "search_text": petition_search_text(cells["subject"], "", [data]),
            }
        )
        due, rule_key, explanation = triage_due_for(values["kind"], received, council, book=book)
        items.append(
            {
                "position": 1,
                "kind": values["kind"],
                "field": values["field"],
                "content": cells["content"],
                "locality": cells["locality"],
                "accused": cells["accused"],
                "triage_due": due,
                "triage_rule": rule_key,
                "triage_explanation": explanation,
            }
        )
        person = None
        if any(cells[f] for f in ("full_name", "address", "phone", "id_number")):
            # Encrypted as they are written (EncryptedTextField); empty fields stay empty.
            person = {
                "position": 1,
                "full_name": cells["full_name"],
                "address": cells["address"],
                "phone": cells["phone"],
                "id_number": cells["id_number"],
                "name_index": blind_index(cells["full_name"]),
                "phone_index": blind_index(cells["phone"]) if cells["phone"] else "",
                "id_index": blind_index(cells["id_number"]) if cells["id_number"] else "",
            }
        people.append(person)
        forwards.append((line, forward))
        report.rows.append(RowResult(line, "create", label=str(cells["subject"])[:80]))
    if report.errors:
        return
    report.councils.update(p["council_id"] for p in petitions)
    ids = insert_with_history(Petition, petitions, user)
    for petition_id, petition, item in zip(ids, petitions, items, strict=True):
        item["petition_id"] = petition_id
        item["petition_council_id"] = petition["council_id"]
        item["petition_received_on"] = petition["received_on"]
    item_ids = insert_with_history(PetitionItem, items, user)
    signed = []
    for petition_id, person in zip(ids, people, strict=True):
        if person is not None:
            person["petition_id"] = petition_id
            signed.append(person)
    insert_with_history(Petitioner, signed, user)
    _forward_items(item_ids, forwards, user, report)


def _forwarding_of(
    cells: dict[str, str],
    council: Any,
    received: Any,
    agencies: dict[tuple[int, str], Any],
    date_of: Any,
    today: Any,
    errors: list[str],
) -> dict[str, Any] | None:
    """The row's forwarding and answer, checked (errors appended), or None when it has none."""
    from django.utils.translation import gettext

    from councilportal.web.text import search_normalise

    names = ("forward_agency", "forwarded_on", "slip_number", "answered_on", "answer_reference",
             "answer_content")  # fmt: skip
    if not any(cells.get(n) for n in names):
        return None
    agency = None
    if not cells["forward_agency"]:
        errors.append(gettext("Cơ quan được chuyển đơn: name the agency the petition went to."))
    elif council is not None:
        agency = agencies.get((council.pk, search_normalise(cells["forward_agency"])))
        if agency is None:
            valid = sorted(a.name for (c, _n), a in agencies.items() if c == council.pk)
            errors.append(
                gettext(
                    "Cơ quan được chuyển đơn: “%(name)s” is not an agency of %(council)s. "
                    "Valid values: %(valid)s."
                )
                % {
                    "name": cells["forward_agency"],
                    "council": council,
                    "valid": ", ".join(valid[:30]) or "—",
                }
            )
    forwarded = date_of(cells["forwarded_on"])
    if forwarded is None:
        errors.append(gettext("Ngày chuyển đơn: enter a date as dd/mm/yyyy."))
    elif (received is not None and forwarded < received) or forwarded > today:
        errors.append(gettext("Ngày chuyển đơn: between the date received and today."))
    slip = cells["slip_number"]
    if slip and not (slip.isascii() and slip.isdigit() and 0 < int(slip) < 2**31):
        errors.append(gettext("Số phiếu chuyển: enter a whole number."))
    answered = None
    if cells["answered_on"] or cells["answer_content"] or cells["answer_reference"]:
        answered = date_of(cells["answered_on"])
        if answered is None:
            errors.append(gettext("Ngày nhận trả lời: enter a date as dd/mm/yyyy."))
        elif (forwarded is not None and answered < forwarded) or answered > today:
            errors.append(gettext("Ngày nhận trả lời: between the forwarding date and today."))
        if not cells["answer_content"]:
            errors.append(
                gettext("%(column)s: this field is required.") % {"column": "Kết quả giải quyết"}
            )
    return {
        "agency": agency,
        "on": forwarded,
        "slip": int(slip) if slip.isascii() and slip.isdigit() and slip else None,
        "answered_on": answered,
        "reference": cells["answer_reference"],
        "content": cells["answer_content"],
    }


def _forward_items(
    item_ids: list[int], forwards: list[tuple[int, Any]], user: User | Operator, report: Any
) -> None:
    """Forward the imported items that were forwarded, through the same service as the
    "Chuyển đơn" button (slip, follow-up with its due date from the rules, answer). Slips
    with a given number go first, so that the next numbers follow them."""
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction
    from django.utils.translation import gettext

    from councilportal.spreadsheets.importing import RowResult

    from .models import ForwardingSlip, PetitionItem
    from .services import item_answer, item_forward

    by = None if isinstance(user, Operator) else user
    todo = [(item_id, line, f) for item_id, (line, f) in zip(item_ids, forwards, strict=True) if f]
    todo.sort(key=lambda t: t[2]["slip"] is None)
    failed: dict[int, list[str]] = {}
    for item_id, line, forward in todo:
        item = PetitionItem.objects.select_related("petition__council").get(pk=item_id)
        try:
            with transaction.atomic():
                slip = item_forward(item=item, agency=forward["agency"], on=forward["on"], by=by)
                if forward["slip"] is not None and slip.number != forward["slip"]:
                    taken = ForwardingSlip.objects.filter(
                        council_id=slip.council_id, year=slip.year, number=forward["slip"]
                    ).exists()
                    if taken:
                        raise ValidationError(
                            gettext("Số phiếu chuyển: this number is already registered.")
                        )
                    slip.number = forward["slip"]
                    slip.save(update_fields=["number"])
                if forward["answered_on"] is not None:
                    item.refresh_from_db()
                    item_answer(
                        item=item,
                        received_on=forward["answered_on"],
                        content=forward["content"],
                        reference=forward["reference"],
                        by=by,
                    )
        except ValidationError as exc:
            failed[line] = list(exc.messages)
        except IntegrityError:
            failed[line] = [gettext("Số phiếu chuyển: this number is already registered.")]
    if failed:
        for result in report.rows:
            if result.line in failed:
                result.action, result.errors = "error", failed[result.line]
        # Keep the report's type: RowResult rows, now errors (the import is rolled back).
        assert all(isinstance(r, RowResult) for r in report.rows)


register_import(
    ImportKind(
        key="petitions",
        register="petitions:petition-list",
        label=_("Petitions"),
        model=Petition,
        match_rule="Mã HĐND + năm + Số đơn (số đã có bị từ chối)",
        columns=PETITION_COLUMNS,
        bulk=import_petitions,
    )
)
