"""Demo petitions and voters: Hưng Yên's reception days, petitions of every kind and status
(December 2022 – March 2023, the period of the seed article, and a few recent ones), denunciations
whose denouncer only the handler persona can read, and voter-contact meetings with their
recommendations. Idempotent: a petition is found by its council and subject before it is made."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from councilportal.models import Agency, Council, Organ, OrganKind
from sessions.models import Session

from . import services
from .models import (
    Petition,
    ReceptionRecord,
    ReceptionSchedule,
    VoterMeeting,
    VoterRecommendation,
)
from .services import ItemData, PersonData

D = dt.date

# (received, channel, subject, [(kind, field, content, accused)], petitioners, outcome)
# outcome: None (awaiting triage), "forward:<agency>", "forward+answer:<agency>",
# "forward+late:<agency>", "guide", "archive:<reason>", "monitor"
PETITIONS = [
    (
        D(2022, 12, 12),
        "in_person",
        "Khiếu nại quyết định thu hồi đất nông nghiệp",
        [
            (
                "complaint",
                "land",
                "Khiếu nại Quyết định thu hồi 1.200 m² đất nông nghiệp để làm "
                "đường gom, cho rằng mức bồi thường thấp hơn giá thị trường.",
                "Quyết định số 2156/QĐ-UBND của UBND huyện Văn Lâm",
            )
        ],
        [("Nguyễn Văn Thành", "Thôn Đông Mai, xã Chỉ Đạo, huyện Văn Lâm", "0912 345 601")],
        "forward+answer:Ủy ban nhân dân tỉnh Hưng Yên",
    ),
    (
        D(2022, 12, 20),
        "post",
        "Tố cáo cán bộ địa chính xã nhận tiền khi làm thủ tục cấp giấy",
        [
            (
                "denunciation",
                "land",
                "Cán bộ địa chính xã yêu cầu nộp thêm tiền ngoài quy định khi "
                "làm thủ tục cấp giấy chứng nhận quyền sử dụng đất.",
                "Cán bộ địa chính xã Lạc Đạo",
            )
        ],
        [("Trần Thị Hoa", "Thôn Ngọc, xã Lạc Đạo, huyện Văn Lâm", "0987 111 222")],
        "forward+late:Ủy ban nhân dân tỉnh Hưng Yên",
    ),
    (
        D(2023, 1, 5),
        "forwarded",
        "Kiến nghị về chế độ trợ cấp người có công",
        [
            (
                "recommendation",
                "social",
                "Đề nghị xem xét lại hồ sơ hưởng trợ cấp thờ cúng liệt sĩ bị trả về nhiều lần.",
                "",
            )
        ],
        [("Lê Văn Bảy", "Phường Hiến Nam, thành phố Hưng Yên", "")],
        "forward:Sở Lao động - Thương binh và Xã hội",
    ),
    (
        D(2023, 1, 16),
        "post",
        "Phản ánh ô nhiễm từ cơ sở chăn nuôi",
        [("reflection", "environment", "Trang trại lợn xả thải chưa qua xử lý ra kênh tưới.", "")],
        [("Phạm Thị Lụa", "Xã Tân Hưng, thành phố Hưng Yên", "0904 222 333")],
        "forward+answer:Sở Tài nguyên và Môi trường",
    ),
    (
        D(2023, 2, 6),
        "in_person",
        "Đơn nhiều nội dung về bồi thường giải phóng mặt bằng",
        [
            (
                "complaint",
                "compensation",
                "Khiếu nại phương án bồi thường dự án đường nối hai cao tốc.",
                "Phương án bồi thường của Hội đồng bồi thường huyện Kim Động",
            ),
            ("recommendation", "compensation", "Đề nghị bố trí tái định cư gần nơi ở cũ.", ""),
        ],
        [
            ("Vũ Văn Định", "Xã Toàn Thắng, huyện Kim Động", "0913 444 555"),
            ("Vũ Thị Nụ", "Xã Toàn Thắng, huyện Kim Động", ""),
        ],
        "guide",
    ),
    (
        D(2023, 2, 15),
        "post",
        "Tố cáo nặc danh về sai phạm đấu thầu",
        [
            (
                "denunciation",
                "economy",
                "Thư không ký tên, cho rằng gói thầu trường học bị chia "
                "nhỏ, không nêu tên người vi phạm.",
                "",
            )
        ],
        [],
        "archive:anonymous",
    ),
    (
        D(2023, 2, 20),
        "email",
        "Kiến nghị sửa chữa đường liên xã",
        [
            (
                "recommendation",
                "economy",
                "Đường liên xã xuống cấp, đề nghị đưa vào kế hoạch sửa chữa năm 2023.",
                "",
            )
        ],
        [("Đặng Văn Lực", "Xã Nghĩa Dân, huyện Kim Động", "0966 777 888")],
        "monitor",
    ),
    (
        D(2023, 3, 1),
        "in_person",
        "Khiếu nại việc cấp giấy chứng nhận đã được giải quyết",
        [
            (
                "complaint",
                "land",
                "Khiếu nại lần hai nội dung đã có quyết định giải quyết có hiệu lực pháp luật.",
                "Quyết định giải quyết khiếu nại số 45/QĐ-UBND",
            )
        ],
        [("Bùi Văn Khải", "Xã Hồng Nam, thành phố Hưng Yên", "")],
        "archive:resolved",
    ),
]

RECENT = [
    (
        -3,
        "post",
        "Tố cáo chủ tịch UBND xã vi phạm quy định quản lý đất công",
        [
            (
                "denunciation",
                "land",
                "Chủ tịch UBND xã cho thuê đất công ích không qua đấu giá.",
                "Chủ tịch UBND xã Nghĩa Dân",
            )
        ],
        [("Ngô Thị Hằng", "Xã Nghĩa Dân, tỉnh Hưng Yên", "0977 123 456")],
    ),
    (
        -1,
        "in_person",
        "Kiến nghị về tiến độ cấp nước sạch",
        [("recommendation", "social", "Đề nghị đẩy nhanh tiến độ đưa nước sạch về thôn.", "")],
        [("Dương Văn Tâm", "Xã Phụng Công, tỉnh Hưng Yên", "0936 555 444")],
    ),
]

RECOMMENDATIONS = [
    (
        "economy",
        "Đề nghị sớm nâng cấp tuyến đường tỉnh 376 đoạn qua huyện Ân Thi.",
        4,
        "Sở Giao thông vận tải",
        "in_progress",
    ),
    (
        "land",
        "Đề nghị đẩy nhanh cấp giấy chứng nhận quyền sử dụng đất cho các hộ dân đã đủ điều kiện.",
        3,
        "Sở Tài nguyên và Môi trường",
        "resolved",
    ),
    (
        "social",
        "Đề nghị tăng mức hỗ trợ cho người cao tuổi từ đủ 75 tuổi trở lên.",
        2,
        "Sở Lao động - Thương binh và Xã hội",
        "explained",
    ),
    (
        "environment",
        "Phản ánh tình trạng rác thải ven đê chưa được thu gom.",
        1,
        "Ủy ban nhân dân tỉnh Hưng Yên",
        "open",
    ),
]


def _agency(council: Council, name: str) -> Agency:
    found = Agency.objects.filter(council=council, name__icontains=name).first()
    return found or Agency.objects.filter(council=council).order_by("pk").first()  # type: ignore[return-value]


def _triage(petition: Petition, outcome: str | None, council: Council) -> None:
    if not outcome:
        return
    received = petition.received_on
    for item in petition.items.all():
        day = received + dt.timedelta(days=3)
        if outcome.startswith("forward"):
            agency = _agency(council, outcome.split(":", 1)[1])
            services.item_forward(item=item, agency=agency, on=day, by=None)
            item.refresh_from_db()
            if outcome.startswith("forward+answer"):
                services.item_answer(
                    item=item,
                    received_on=day + dt.timedelta(days=18),
                    content="Cơ quan đã thụ lý, giải quyết và thông báo kết quả cho công dân.",
                    reference=f"{item.pk + 100}/UBND-NC",
                    by=None,
                )
        elif outcome == "guide":
            services.item_guide(
                item=item,
                on=day,
                note="Hướng dẫn công dân gửi đơn đến Chủ tịch UBND huyện Kim Động là người có "
                "thẩm quyền giải quyết lần đầu.",
                by=None,
            )
        elif outcome.startswith("archive"):
            services.item_archive(item=item, on=day, reason=outcome.split(":", 1)[1], by=None)
        elif outcome == "monitor":
            services.item_monitor(item=item, on=day, note="Theo dõi qua kỳ họp giữa năm.", by=None)


def _receive(council: Council, row: tuple, received: dt.date) -> Petition | None:
    _, channel, subject, items, people = row[:5]
    if Petition.objects.filter(council=council, subject=subject).exists():
        return None
    return services.petition_receive(
        council=council,
        channel=channel,
        received_on=received,
        subject=subject,
        forwarded_by="Ban Dân nguyện (Ủy ban Thường vụ Quốc hội)" if channel == "forwarded" else "",
        items=[
            ItemData(kind=k, field=fld, content=content, accused=accused)
            for k, fld, content, accused in items
        ],
        people=[
            PersonData(
                full_name=n, address=a, phone=p, is_representative=(i == 0 and len(people) > 1)
            )
            for i, (n, a, p) in enumerate(people)
        ],
        is_group=len(people) > 1,
        is_anonymous=not people,
        by=None,
    )


@transaction.atomic
def seed(out: Callable[[str], None], councils: dict[str, Council]) -> None:
    hy = councils["HY"]
    schedule, _ = ReceptionSchedule.objects.get_or_create(
        council=hy,
        date=D(2023, 2, 15),
        defaults={
            "place": "Trụ sở Tiếp công dân tỉnh Hưng Yên",
            "receivers": "Phó Chủ tịch HĐND tỉnh; Trưởng Ban Pháp chế HĐND tỉnh",
        },
    )
    record, _ = ReceptionRecord.objects.get_or_create(
        council=hy,
        schedule=schedule,
        date=D(2023, 2, 15),
        defaults={
            "received_by": "Phó Chủ tịch HĐND tỉnh",
            "citizens": 6,
            "is_group": True,
            "summary": "Đoàn công dân xã Toàn Thắng phản ánh về phương án bồi thường dự án "
            "đường nối hai cao tốc.",
        },
    )
    ReceptionSchedule.objects.get_or_create(
        council=hy,
        date=timezone.localdate() + dt.timedelta(days=10),
        defaults={"place": "Trụ sở Tiếp công dân tỉnh Hưng Yên", "receivers": "Chủ tịch HĐND tỉnh"},
    )
    made = 0
    for row in PETITIONS:
        petition = _receive(hy, row, row[0])
        if petition is not None:
            if "bồi thường giải phóng" in petition.subject:
                petition.reception = record
                petition.save(update_fields=["reception"])
            _triage(petition, row[5], hy)
            made += 1
    today = timezone.localdate()
    for recent in RECENT:
        if _receive(hy, recent, today + dt.timedelta(days=recent[0])) is not None:
            made += 1
    first = Petition.objects.filter(council=hy, subject=PETITIONS[0][2]).first()
    repeat_subject = "Khiếu nại lại quyết định thu hồi đất nông nghiệp (gửi lần hai)"
    if first is not None and not Petition.objects.filter(subject=repeat_subject).exists():
        services.petition_receive(
            council=hy,
            channel="post",
            received_on=D(2023, 3, 10),
            subject=repeat_subject,
            items=[ItemData(kind="complaint", field="land", content=first.items.first().content)],  # type: ignore[union-attr]
            people=[PersonData(full_name="Nguyễn Văn Thành", phone="0912 345 601")],
            duplicate_of=first,
            by=None,
        )
        made += 1
    out(f"  petitions: {made} new, {Petition.objects.filter(council=hy).count()} in Hưng Yên")
    _voters(out, hy)


def _voters(out: Callable[[str], None], hy: Council) -> None:
    sessions = list(Session.objects.filter(council=hy).order_by("planned_start"))
    mid = next(
        (s for s in sessions if s.planned_start.year == 2023 and s.kind == "regular_mid"), None
    )
    if mid is None:
        out("  voter contact: no 2023 mid-year session in the demo, skipped")
        return
    group = Organ.objects.filter(council=hy, kind=OrganKind.DELEGATE_GROUP).first()
    meetings = []
    for n, (unit, place) in enumerate(
        [
            ("Đơn vị bầu cử số 1", "Nhà văn hóa xã Phù Ủng, huyện Ân Thi"),
            ("Đơn vị bầu cử số 2", "Hội trường UBND xã Nghĩa Dân, huyện Kim Động"),
            ("Đơn vị bầu cử số 3", "Nhà văn hóa phường Hiến Nam, thành phố Hưng Yên"),
        ]
    ):
        meeting, _ = VoterMeeting.objects.get_or_create(
            council=hy,
            session=mid,
            electoral_unit=unit,
            defaults={
                "timing": "before",
                "delegate_group": group,
                "place": place,
                "date": mid.planned_start - dt.timedelta(days=20 - n),
                "delegates_attending": "Tổ đại biểu HĐND tỉnh",
                "voters_attending": 120 + 15 * n,
            },
        )
        meetings.append(meeting)
    for fld, content, raised, agency_name, outcome in RECOMMENDATIONS:
        if VoterRecommendation.objects.filter(council=hy, content=content).exists():
            continue
        answered = outcome != "open"
        rec = VoterRecommendation.objects.create(
            council=hy,
            session=mid,
            content=content,
            field=fld,
            agency=_agency(hy, agency_name),
            times_raised=raised,
            outcome=outcome,
        )
        # Forwarded after the session; the answers before the year-end session (those still
        # open at it are carried over).
        services.recommendation_track(
            recommendation=rec,
            forwarded_on=mid.planned_end + dt.timedelta(days=10),
            answered_on=mid.planned_end + dt.timedelta(days=60) if answered else None,
            reference="2345/UBND-TH" if answered else "",
            summary="UBND tỉnh đã chỉ đạo các sở, ngành xem xét, giải quyết." if answered else "",
        )
        rec.meetings.add(*meetings[: max(1, min(raised, len(meetings)))])
    out(
        f"  voter contact: {len(meetings)} meetings, "
        f"{VoterRecommendation.objects.filter(council=hy).count()} recommendations"
    )
