"""The agency workspace's demo: three agency logins (the provincial People's Committee office,
one department, one commune People's Committee) with items in every state: new, due soon,
overdue, an answer awaiting the council, one returned, answers accepted on time and late, and
requests for more time pending, granted and refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from councilportal.follow_ups.services import follow_up_open
from councilportal.models import Agency, AgencyKind, Council, Role, RoleAssignment

from .models import AgencyMembership, AgencyRole
from .services import (
    agency_answer_accept,
    agency_answer_return,
    agency_answer_submit,
    extension_accept,
    extension_refuse,
    extension_request,
)


@dataclass(frozen=True)
class AgencyPersona:
    username: str
    password: str
    full_name: str
    council_code: str
    agency_name: str
    role: str
    description: str


AGENCY_PERSONAS = [
    AgencyPersona(
        "vanphong.ubnd",
        "VanPhong@2026",
        "Lê Thị Hồng",
        "HY",
        "Ủy ban nhân dân tỉnh Hưng Yên",
        AgencyRole.HEAD,
        "head of the provincial People's Committee office (reads its departments' items)",
    ),
    AgencyPersona(
        "so.xaydung",
        "XayDung@2026",
        "Vũ Minh Khánh",
        "HY",
        "Sở Xây dựng tỉnh Hưng Yên",
        AgencyRole.OFFICER,
        "officer of the Department of Construction (answers its items)",
    ),
    AgencyPersona(
        "ubnd.nghiadan",
        "UbndXa@2026",
        "Bùi Thị Thu Trang",
        "HY-ND",
        "",
        AgencyRole.OFFICER,
        "officer of the Nghĩa Dân commune People's Committee",
    ),
]


def _agency_of(persona: AgencyPersona, councils: dict[str, Council]) -> Agency:
    council = councils[persona.council_code]
    if persona.agency_name:
        return Agency.objects.get(council=council, name=persona.agency_name)
    return Agency.objects.filter(council=council, kind=AgencyKind.PEOPLES_COMMITTEE).first()  # type: ignore[return-value]


def _source(council: Council) -> Any:
    from sessions.models import Meeting

    return (
        Meeting.objects.filter(council=council).order_by("-date").first()
        or council.terms.order_by("-start_date").first()
    )


def _clerk(council: Council) -> Any:
    role = RoleAssignment.objects.filter(council=council, role=Role.CLERK).first()
    if role is None:
        role = RoleAssignment.objects.filter(council=council.parent, role=Role.CLERK).first()
    return role.user if role else None


def _items(agency: Agency, officer: Any, clerk: Any, council: Council, full: bool) -> None:
    today = timezone.localdate()
    days = dt.timedelta
    source = _source(council)

    def item(text: str, sent: int, due: int) -> Any:
        return follow_up_open(
            source=source,
            council=council,
            to=agency,
            content=text,
            sent_on=today - days(sent),
            due=today + days(due),
            explanation="Theo kết luận hội nghị giao ban",
        )

    def answer(f: Any, text: str, ago: int, status: str = "done", progress: int = 100) -> Any:
        return agency_answer_submit(
            follow_up=f,
            by=officer,
            text=text,
            reply_reference=f"{f.pk}/{agency.short_name or 'UBND'}",
            reply_date=today - days(ago),
            progress=progress,
            proposed_status=status,
            on=today - days(ago),
        )

    item("Rà soát, báo cáo tiến độ cấp giấy chứng nhận quyền sử dụng đất năm 2026", 2, 28)
    item("Báo cáo việc khắc phục tình trạng ngập úng khu dân cư sau mưa lớn", 20, 2)
    item("Giải trình chậm bàn giao mặt bằng dự án đường trục trung tâm", 45, -10)
    answer(
        item("Báo cáo kết quả thực hiện kiến nghị về an toàn công trình trường học", 30, 5),
        "Đã kiểm tra 12 công trình, khắc phục xong 10; 2 công trình đang sửa chữa.",
        1,
        "partly_done",
        80,
    )
    if not full:
        done = item("Trả lời kiến nghị cử tri về sửa chữa nhà văn hóa thôn", 40, -20)
        agency_answer_accept(answer=answer(done, "Đã sửa chữa xong nhà văn hóa.", 25), by=clerk)
        return
    returned = item("Báo cáo tình hình quản lý trật tự xây dựng đô thị quý I", 35, 10)
    agency_answer_return(
        answer=answer(returned, "Tình hình cơ bản ổn định.", 3),
        by=clerk,
        reason="Báo cáo chưa có số liệu vi phạm và kết quả xử lý; đề nghị bổ sung.",
    )
    on_time = item("Trả lời kiến nghị cử tri về cấp phép xây dựng nhà ở riêng lẻ", 60, -30)
    agency_answer_accept(
        answer=answer(on_time, "Đã rút ngắn thời gian cấp phép còn 10 ngày làm việc.", 32),
        by=clerk,
    )
    late = item("Báo cáo việc chậm tiến độ dự án nhà ở xã hội", 70, -40)
    agency_answer_accept(
        answer=answer(late, "Chủ đầu tư đã cam kết hoàn thành trong quý III.", 25), by=clerk
    )
    pending = item("Kế hoạch cải tạo chung cư cũ trên địa bàn tỉnh", 15, 3)
    extension_request(
        follow_up=pending,
        by=officer,
        reason="Đang chờ ý kiến thẩm định của Bộ Xây dựng.",
        proposed_date=today + days(30),
        on=today - days(1),
    )
    granted = item("Rà soát quy hoạch chi tiết các khu công nghiệp", 40, -2)
    request = extension_request(
        follow_up=granted,
        by=officer,
        reason="Phải lấy ý kiến các sở, ngành liên quan.",
        proposed_date=today + days(21),
        on=today - days(6),
    )
    extension_accept(request=request, by=clerk, on=today - days(5))
    refused = item("Báo cáo kết quả xử lý công trình vi phạm trật tự xây dựng", 25, 1)
    request = extension_request(
        follow_up=refused,
        by=officer,
        reason="Khối lượng công việc lớn.",
        proposed_date=today + days(40),
        on=today - days(2),
    )
    extension_refuse(
        request=request, by=clerk, note="Nội dung đã giao từ kỳ trước, đề nghị báo cáo đúng hạn."
    )


@transaction.atomic
def seed(out: Callable[[str], None], councils: dict[str, Council]) -> None:
    User = get_user_model()
    fresh = not AgencyMembership.objects.exists()
    out("  agency logins (username / password — role):")
    for persona in AGENCY_PERSONAS:
        agency = _agency_of(persona, councils)
        user = User.objects.filter(username=persona.username).first() or User(
            username=persona.username
        )
        user.first_name, user.last_name, user.is_active = persona.full_name, "", True
        user.set_password(persona.password)
        user.save()
        AgencyMembership.objects.get_or_create(
            user=user, agency=agency, defaults={"role": persona.role}
        )
        out(f"    {persona.username:18} {persona.password:14} — {persona.description}")
        if fresh and persona.role == AgencyRole.OFFICER:
            council = agency.council
            clerk = _clerk(council)
            if clerk is not None:
                _items(agency, user, clerk, council, full=persona.council_code == "HY")
    if fresh:
        # The office's own item, awaiting the council.
        office = AGENCY_PERSONAS[0]
        agency = _agency_of(office, councils)
        head = User.objects.get(username=office.username)
        clerk = _clerk(agency.council)
        if clerk is not None:
            _items(agency, head, clerk, agency.council, full=False)
