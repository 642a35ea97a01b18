"""The register and the submission pages: filters, search, export, forms with Vietnamese errors
(never a 500), access scoping and constant query counts."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from resolutions.models import Kind, Resolution, Submission, SubmissionStatus
from resolutions.services import relation_add, task_add

from .. import factories as f
from .conftest import council_world, make_resolution, submission_on_agenda

D = dt.date


@pytest.fixture
def clerk(hy: Any) -> Any:
    user = f.UserFactory(username="clerk")
    f.RoleFactory(user=user, council=hy.council, role="clerk")
    return user


@pytest.fixture
def vi(settings: Any) -> None:
    settings.LANGUAGE_CODE = "vi"


def test_register_lists_filters_and_shows_status(hy: Any, clerk: Any, client: Any) -> None:
    old = make_resolution(hy.council, title="Về giá dịch vụ", adopted_on=D(2021, 5, 5))
    new = make_resolution(hy.council, title="Về giá dịch vụ mới", adopted_on=D(2023, 5, 5))
    relation_add(source=new, target=old, kind="replaces")
    normative = make_resolution(hy.council, kind=Kind.NORMATIVE, title="Quy định mức thu phí")
    client.force_login(clerk)
    url = reverse("resolutions:resolution-list")
    body = client.get(url).content.decode()
    assert new.symbol in body and old.symbol in body and "2023/NQ-HĐND" in body
    page = client.get(url, {"kind": "normative"}).content.decode()
    assert normative.symbol in page and "Về giá dịch vụ" not in page
    lapsed = client.get(url, {"status": "fully_lapsed"}).content.decode()
    assert "Về giá dịch vụ<" in lapsed and "dịch vụ mới" not in lapsed
    before = client.get(url, {"status": "in_force", "on": "01/01/2022"}).content.decode()
    assert "Về giá dịch vụ<" in before and "dịch vụ mới" not in before
    assert client.get(url, {"year": "2021"}).context["paginator"].count == 1
    assert client.get(url, {"on": "99/99/9999"}).status_code == 200
    assert client.get(url, {"o": "-adopted_on"}).status_code == 200


def test_register_query_count_does_not_grow(
    hy: Any, clerk: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(clerk)
    url = reverse("resolutions:resolution-list")
    for n in range(3):
        make_resolution(hy.council, title=f"Nghị quyết {n}")
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(30):
        make_resolution(hy.council, title=f"Nghị quyết thêm {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_search_ignores_accents_and_case(hy: Any, clerk: Any, client: Any) -> None:
    make_resolution(hy.council, title="Nghị quyết quy định bảng giá ĐẤT ĐAI giai đoạn 2024-2029")
    make_resolution(hy.council, title="Về dự toán ngân sách")
    client.force_login(clerk)
    url = reverse("resolutions:resolution-list")
    page = client.get(url, {"q": "nghi quyet dat dai"}).content.decode()
    assert "ĐẤT ĐAI" in page and "dự toán" not in page
    assert client.get(url, {"q": "Đất Đai"}).context["paginator"].count == 1
    assert client.get(url, {"q": "01/NQ-HĐND"}).context["paginator"].count == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL extensions")
def test_postgresql_search_uses_the_trigram_index_and_unaccent_agrees(hy: Any) -> None:
    from councilportal.web.text import search_normalise

    with connection.cursor() as cursor:
        cursor.execute("SELECT lower(portal_unaccent(%s))", ["Nghị quyết Đất đai Hưng Yên"])
        assert cursor.fetchone()[0] == search_normalise("Nghị quyết Đất đai Hưng Yên")
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'resolution_search_trgm'")
        assert "gin_trgm_ops" in cursor.fetchone()[0]


def test_excel_export_has_exactly_the_filtered_rows(hy: Any, clerk: Any, client: Any) -> None:
    make_resolution(hy.council, kind=Kind.NORMATIVE, title="Quy định về đất đai")
    make_resolution(hy.council, title="Về dự toán")
    other = council_world(code="LS")
    make_resolution(other.council, title="Bí mật của Lạng Sơn")
    client.force_login(clerk)
    url = reverse("resolutions:resolution-list")
    response = client.get(url, {"kind": "normative", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["01/2023/NQ-HĐND"]
    assert rows[0][1] == "Quy định về đất đai"
    assert rows[0][11] in ("In force", "Còn hiệu lực")
    everything = client.get(url, {"export": "xlsx"})
    text = str(list(load_workbook(io.BytesIO(everything.content)).active.values))
    assert "Lạng Sơn" not in text and "Về dự toán" in text


def _form(hy: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "council": hy.council.pk,
        "issuer": "council",
        "kind": "normative",
        "title": "Quy định mức hỗ trợ",
        "field": "budget",
        "adopted_on": "10/07/2025",
        "effective_from": "20/07/2025",
        "legal_bases": "Luật Tổ chức chính quyền địa phương",
        "body": "Điều 1. Phạm vi điều chỉnh\nNghị quyết này quy định mức hỗ trợ.",
    }
    data.update(extra)
    return data


def test_create_form_numbers_and_refuses_bad_input_in_vietnamese(
    hy: Any, clerk: Any, client: Any, vi: Any
) -> None:
    client.force_login(clerk)
    url = reverse("resolutions:resolution-create")
    response = client.post(url, _form(hy))
    created = Resolution.objects.get()
    assert response.status_code == 302 and created.symbol == "01/2025/NQ-HĐND"
    early = client.post(url, _form(hy, effective_from="15/07/2025"))
    assert early.status_code in (200, 400)
    assert "20/07/2025" in early.content.decode()
    assert "không sớm hơn" in early.content.decode()
    dup = client.post(url, _form(hy, manual_number="1"))
    assert dup.status_code in (200, 400)
    assert "đã được dùng" in dup.content.decode() or "đã" in dup.content.decode()
    before = client.post(url, _form(hy, effective_from="01/07/2025"))
    assert before.status_code in (200, 400)
    assert Resolution.objects.count() == 1
    manual = client.post(url, _form(hy, manual_number="7", kind="individual"))
    assert manual.status_code == 302
    assert Resolution.objects.get(number=7).is_manual_number


def test_relation_form_refuses_self_and_cycles(hy: Any, clerk: Any, client: Any, vi: Any) -> None:
    a = make_resolution(hy.council, adopted_on=D(2021, 1, 5))
    b = make_resolution(hy.council, adopted_on=D(2022, 1, 5))
    relation_add(source=b, target=a, kind="replaces")
    client.force_login(clerk)
    url = reverse("resolutions:relation-create", args=[a.pk])
    own = client.post(
        url,
        {
            "kind": "amends",
            "target_symbol": a.symbol,
            "target_issuer": "council",
            "target_year": "2021",
        },
    )
    assert own.status_code == 400 and "chính nó" in own.content.decode()
    cycle = client.post(
        url,
        {
            "kind": "replaces",
            "target_symbol": b.symbol,
            "target_issuer": "council",
            "target_year": "2022",
        },
    )
    assert cycle.status_code == 400 and "vòng" in cycle.content.decode()
    garbage = client.post(
        url, {"kind": "replaces", "target_symbol": "xyz", "target_issuer": "council"}
    )
    assert garbage.status_code == 400
    page = client.get(reverse("resolutions:resolution-detail", args=[a.pk])).content.decode()
    assert "Được thay thế bởi" in page and b.symbol in page
    page_b = client.get(reverse("resolutions:resolution-detail", args=[b.pk])).content.decode()
    assert a.symbol in page_b


def test_adopting_an_unpassed_vote_shows_an_error_not_a_500(
    hy: Any, clerk: Any, client: Any, vi: Any
) -> None:
    sub = submission_on_agenda(hy)
    client.force_login(clerk)
    url = reverse("resolutions:submission-adopt", args=[sub.pk])
    response = client.post(url, {"vote": hy.failed.pk, "issuer": "council"})
    assert response.status_code == 400
    assert (
        "không được thông qua" in response.content.decode() or "chưa" in response.content.decode()
    )
    assert not Resolution.objects.exists()
    ok = client.post(url, {"vote": hy.passed.pk, "issuer": "council"})
    assert ok.status_code == 302
    resolution = Resolution.objects.get()
    assert ok.url == resolution.get_absolute_url()
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.ADOPTED


def test_submission_workflow_pages(hy: Any, clerk: Any, client: Any) -> None:
    client.force_login(clerk)
    response = client.post(
        reverse("resolutions:submission-create"),
        {
            "council": hy.council.pk,
            "reference": "99/TTr-UBND",
            "title": "Tờ trình về quy hoạch",
            "submitted_by": hy.agency.pk,
            "received_on": "01/11/2023",
            "field": "investment",
            "kind": "individual",
        },
    )
    sub = Submission.objects.get(reference="99/TTr-UBND")
    assert response.status_code == 302
    verify = reverse("resolutions:submission-verify", args=[sub.pk])
    assert client.post(verify, {"organ": hy.committee.pk, "due": "01/10/2023"}).status_code == 400
    assert client.post(verify, {"organ": hy.committee.pk, "due": "20/11/2023"}).status_code == 302
    report = reverse("resolutions:submission-report", args=[sub.pk])
    data = {"organ": hy.committee.pk, "reported_on": "18/11/2023", "conclusion": "agree"}
    assert client.post(report, data).status_code == 302
    agenda = reverse("resolutions:submission-agenda", args=[sub.pk])
    assert client.post(agenda, {"item": hy.item.pk}).status_code == 302
    page = client.get(sub.get_absolute_url())
    assert page.status_code == 200 and "submission-adopt" not in page.content.decode()
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.ON_AGENDA and sub.agenda_item == hy.item


def test_overdue_tasks_across_the_register(hy: Any, clerk: Any, client: Any) -> None:
    res = make_resolution(hy.council, adopted_on=D(2023, 1, 5))
    task_add(
        resolution=res,
        content="Báo cáo kết quả thực hiện",
        due_date=D(2023, 6, 30),
        to_agency=hy.agency,
    )
    task_add(resolution=res, content="Việc còn hạn", due_date=D(2100, 1, 1), to_agency=hy.agency)
    other = council_world(code="LS")
    foreign = make_resolution(other.council, adopted_on=D(2023, 1, 5))
    task_add(
        resolution=foreign,
        content="Việc của tỉnh khác",
        due_date=D(2023, 6, 30),
        to_agency=other.agency,
    )
    client.force_login(clerk)
    page = client.get(reverse("resolutions:task-overdue")).content.decode()
    assert "Báo cáo kết quả thực hiện" in page
    assert "Việc còn hạn" not in page and "tỉnh khác" not in page
    detail = client.get(res.get_absolute_url()).content.decode()
    assert "Báo cáo kết quả thực hiện" in detail


def test_task_form_refuses_a_deadline_before_adoption(hy: Any, clerk: Any, client: Any) -> None:
    res = make_resolution(hy.council, adopted_on=D(2023, 1, 5))
    client.force_login(clerk)
    url = reverse("resolutions:task-create", args=[res.pk])
    response = client.post(
        url, {"content": "X", "due_date": "01/01/2022", "to_agency": hy.agency.pk}
    )
    assert response.status_code == 400


def test_outsiders_and_commune_clerks_do_not_see_the_province_register(
    hy: Any, client: Any
) -> None:
    res = make_resolution(hy.council, title="Nghị quyết của tỉnh")
    commune = council_world(code="HY-X", parent=hy.council)
    own = make_resolution(commune.council, title="Nghị quyết của xã")
    commune_clerk = f.UserFactory(username="xa")
    f.RoleFactory(user=commune_clerk, council=commune.council, role="clerk")
    client.force_login(commune_clerk)
    page = client.get(reverse("resolutions:resolution-list")).content.decode()
    assert "Nghị quyết của xã" in page and "Nghị quyết của tỉnh" not in page
    assert client.get(res.get_absolute_url()).status_code == 404
    assert client.get(own.get_absolute_url()).status_code == 200
    edit = client.get(reverse("resolutions:resolution-update", args=[res.pk]))
    assert edit.status_code == 404


def test_pages_of_a_record_and_bad_filters_answer_without_errors(
    hy: Any, clerk: Any, client: Any
) -> None:
    res = make_resolution(hy.council)
    sub = submission_on_agenda(hy)
    client.force_login(clerk)
    for url in [
        reverse("resolutions:resolution-update", args=[res.pk]),
        reverse("resolutions:resolution-history", args=[res.pk]),
        reverse("resolutions:resolution-delete", args=[res.pk]),
        reverse("resolutions:relation-create", args=[res.pk]),
        reverse("resolutions:task-create", args=[res.pk]),
        reverse("resolutions:submission-update", args=[sub.pk]),
        reverse("resolutions:submission-history", args=[sub.pk]),
        reverse("resolutions:submission-list") + "?status=on_agenda&q=du+toan",
        reverse("resolutions:resolution-list") + "?year=abc&status=nope&on=32/13/2020&page=99",
        reverse("resolutions:resolution-list") + "?year=abc&export=xlsx",
    ]:
        assert client.get(url).status_code in (200, 404), url
    assert client.get(reverse("resolutions:resolution-list") + "?page=99").status_code == 404
    edit = client.post(
        reverse("resolutions:resolution-update", args=[res.pk]),
        {
            "council": hy.council.pk,
            "issuer": "council",
            "kind": "individual",
            "title": "Về việc đã sửa",
            "field": "other",
            "adopted_on": "08/12/2023",
            "effective_from": "08/12/2023",
        },
    )
    assert edit.status_code == 302
    res.refresh_from_db()
    assert res.title == "Về việc đã sửa" and res.number == 1
    history = client.get(reverse("resolutions:resolution-history", args=[res.pk]))
    assert "Về việc đã sửa" in history.content.decode()


def test_adopting_with_too_early_an_effective_date_is_a_form_error(
    hy: Any, clerk: Any, client: Any, vi: Any
) -> None:
    sub = submission_on_agenda(hy, kind=Kind.NORMATIVE)
    client.force_login(clerk)
    url = reverse("resolutions:submission-adopt", args=[sub.pk])
    response = client.post(
        url, {"vote": hy.passed.pk, "issuer": "council", "effective_from": "10/12/2023"}
    )
    assert response.status_code == 400
    assert "18/12/2023" in response.content.decode()
    assert not Resolution.objects.exists()
    ok = client.post(
        url,
        {
            "vote": hy.passed.pk,
            "issuer": "council",
            "effective_from": "08/12/2023",
            "shortened_procedure": "on",
        },
    )
    assert ok.status_code == 302
    assert Resolution.objects.get().symbol == "01/2023/NQ-HĐND"


def test_create_form_refuses_a_normative_resolution_of_the_standing_committee(
    hy: Any, clerk: Any, client: Any, vi: Any
) -> None:
    client.force_login(clerk)
    url = reverse("resolutions:resolution-create")
    assert client.post(url, _form(hy, manual_number="22")).status_code == 302
    response = client.post(url, _form(hy, manual_number="22", issuer="standing"))
    assert response.status_code in (200, 400)
    assert "Thường trực" in response.content.decode()
    assert Resolution.objects.filter(number=22).count() == 1
