"""Every printed document keeps its text inside the Decree 30 text box, however long the names
and however many the rows: every kind of the registry is rendered from the demo with its text
made long, and every word's box (pdftotext -bbox) is checked against the page margins."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count, Value
from django.db.models.functions import Concat

from councilportal.documents.registry import _KINDS, DocumentKind
from councilportal.documents.render import render_pdf
from councilportal.models import ActivityReport, Agency, Council, Delegate, GeneratedDocument
from petitions.models import ForwardingSlip, PetitionItem, ReminderLetter
from sessions.documents import MEETING_MINUTES, MINUTES
from sessions.models import AgendaItem, Meeting, Session, Vote
from sessions.services import minutes_for

from ..pdftools import Word, pdf_words

MM = 72 / 25.4
# Decree 30: top 20, right 15, bottom 20, left 30 mm (A4 portrait).
TOP, RIGHT, BOTTOM, LEFT = 20 * MM, 15 * MM, 20 * MM, 30 * MM
# Glyph boxes are the font's ascent and descent, a hair taller than the line they sit on.
SLACK = 0.5

LONG_WORD = "https://vbpl.vn/hungyen/Pages/vbpq-toanvan.aspx?ItemID=165432&Keyword=ngansach"
LONG_NAME = " Nguyễn Thị Phương Thảo Hoàng Ngọc Bích Trâm"
LONG_TEXT = (
    " về việc điều chỉnh, bổ sung kế hoạch đầu tư công trung hạn giai đoạn 2021 - 2025 "
    "nguồn vốn ngân sách địa phương (chi tiết tại " + LONG_WORD + ")"
)


def outside_the_text_box(words: list[Word]) -> list[Word]:
    out = []
    for w in words:
        left, right = LEFT - SLACK, w.page_width - RIGHT + SLACK
        top, bottom = TOP - SLACK, w.page_height - BOTTOM + SLACK
        if w.y_max <= TOP and w.text.isdigit() and w.page > 1:
            continue  # the page number, in the top margin from page 2 on
        if w.x_min < left or w.x_max > right or w.y_min < top or w.y_max > bottom:
            out.append(w)
    return out


def _lengthen() -> None:
    """Long names, long titles with an unbreakable word, and many rows."""
    Delegate.objects.update(full_name=Concat("full_name", Value(LONG_NAME)))
    Agency.objects.update(name=Concat("name", Value(" và các đơn vị trực thuộc Ủy ban nhân dân")))
    AgendaItem.objects.update(
        title=Concat("title", Value(LONG_TEXT)),
        presenter=Concat("presenter", Value(" - Sở Kế hoạch và Đầu tư tỉnh Hưng Yên")),
    )
    Vote.objects.update(subject=Concat("subject", Value(LONG_TEXT)))
    PetitionItem.objects.update(content=Concat("content", Value(LONG_TEXT)))
    # Many rows: one session gets thirty more items, each with a vote.
    session = _busiest_session()
    first = AgendaItem.objects.filter(session=session).order_by("position").first()
    assert first is not None
    vote = Vote.objects.filter(item__session=session).first()
    top = max(session.items.values_list("position", flat=True))
    for i in range(30):
        item = AgendaItem.objects.create(
            session=session,
            position=top + 1 + i,
            kind=first.kind,
            title=f"Tờ trình số {i + 1}{LONG_TEXT}",
            presenter=first.presenter,
            sitting=first.sitting,
            starts_at=dt.time(8, 0),
            ends_at=dt.time(11, 30),
        )
        if vote is not None:
            Vote.objects.create(
                item=item,
                subject=f"Nghị quyết số {i + 1}{LONG_TEXT}",
                majority=vote.majority,
                held_on=vote.held_on,
                total_delegates=vote.total_delegates,
                votes_for=vote.votes_for,
                votes_against=vote.votes_against,
                abstentions=vote.abstentions,
            )


def _busiest_session() -> Session:
    session = (
        Session.objects.annotate(votes=Count("items__votes"))
        .order_by("-votes", "pk")
        .select_related("council")
        .first()
    )
    assert session is not None
    return session


def _source(kind: DocumentKind) -> Any:
    if kind.model is Session:
        return _busiest_session()
    if kind.key == MINUTES.key:
        return minutes_for(_busiest_session())
    if kind.key == MEETING_MINUTES.key:
        meeting = Meeting.objects.order_by("pk").first()
        assert meeting is not None, "the demo has no Meeting"
        return minutes_for(meeting)
    if kind.model is ActivityReport:
        province = Council.objects.get(code="HY")
        return ActivityReport.objects.create(
            council=province,
            include_below=True,
            period_start=dt.date(2022, 1, 1),
            period_end=dt.date(2024, 12, 31),
        )
    if kind.model is ReminderLetter and not ReminderLetter.objects.exists():
        slip = ForwardingSlip.objects.select_related("item__petition").order_by("pk").first()
        assert slip is not None
        ReminderLetter.objects.create(
            item=slip.item,
            council=slip.item.petition.council,
            year=2099,
            number=1,
            sent_on=dt.date(2099, 1, 5),
        )
    source = kind.model._default_manager.order_by("pk").first()  # type: ignore[attr-defined]
    assert source is not None, f"the demo has no {kind.model.__name__}"
    return source


@pytest.mark.django_db
def test_every_document_keeps_its_text_inside_the_text_box() -> None:
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    _lengthen()
    found: dict[str, list[str]] = {}
    for key, kind in sorted(_KINDS.items()):
        context = kind.build_context(_source(kind))
        context.setdefault("document", GeneratedDocument(title=key))
        content = render_pdf(kind.template, context).content
        if dump := os.environ.get("PDF_DUMP_DIR"):  # to look at them: pdftoppm -png -r 60
            with open(os.path.join(dump, f"{key}.pdf"), "wb") as handle:
                handle.write(content)
        words = pdf_words(content)
        assert words, key
        bad = outside_the_text_box(words)
        if bad:
            found[key] = [
                f"p{w.page} {w.text!r} x {w.x_min:.1f}–{w.x_max:.1f} y {w.y_min:.1f}–{w.y_max:.1f}"
                for w in bad[:5]
            ]
    assert not found, found
