"""Printable documents of the resolutions app: the resolution itself, in the Decree 30 layout
(individual) or the legal normative forms of Decree 78/2025 (DOMAIN.md §7, §9)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from councilportal.councils.documents import signer_of
from councilportal.documents.registry import DocumentKind, register
from councilportal.documents.render import vn_date_line

from .models import Resolution


def resolution_context(resolution: Resolution) -> dict[str, Any]:
    resolution = Resolution.objects.select_related(
        "council", "session__term", "submission__submitted_by"
    ).get(pk=resolution.pk)
    council = resolution.council
    session = resolution.session
    term = session.term if session is not None else None
    if term is None:
        term = council.terms.filter(
            start_date__lte=resolution.adopted_on, end_date__gte=resolution.adopted_on
        ).first()
    signer = signer_of(term) if term is not None else None
    day = resolution.signed_on or resolution.adopted_on
    recipients = resolution.recipient_lines() or [
        "Ủy ban Thường vụ Quốc hội",
        "Chính phủ",
        "Thường trực Tỉnh ủy",
        "Thường trực HĐND, UBND, Ủy ban MTTQ Việt Nam tỉnh",
        "Các đại biểu HĐND tỉnh",
        "Các sở, ban, ngành",
    ]
    if resolution.is_normative and "Công báo tỉnh" not in recipients:
        recipients = [*recipients, "Công báo tỉnh"]
    reports = (
        list(resolution.submission.verification_reports.select_related("organ"))
        if resolution.submission is not None
        else []
    )
    return {
        "resolution": resolution,
        "reports": reports,
        "council": council,
        "session": session,
        "term": term,
        "number": resolution.number_text,
        "symbol": resolution.symbol_tail,
        "date_line": vn_date_line(council.place_name, day),
        "signer": signer,
        "signer_name": resolution.signer_name or (signer.delegate.full_name if signer else ""),
        "bases": resolution.legal_basis_lines(),
        "articles": _articles(resolution.articles()),
        "recipients": recipients,
        "unit_upper": council.administrative_name,
    }


def _articles(lines: list[str]) -> list[dict[str, Any]]:
    """Split the article lines: a line starting "Điều n." opens an article (its heading in
    bold up to the first full stop after the number); other lines are its paragraphs."""
    articles: list[dict[str, Any]] = []
    for line in lines:
        if line.startswith("Điều "):
            head, _sep, rest = line.partition(".")
            articles.append({"head": head + ".", "title": rest.strip(), "paras": []})
        elif articles:
            articles[-1]["paras"].append(line)
        else:
            articles.append({"head": "", "title": "", "paras": [line]})
    return articles


register(
    DocumentKind(
        key="resolutions.resolution",
        label=_("Resolution"),
        model=Resolution,
        template="resolutions/pdf/resolution.html",
        build_context=resolution_context,
        title=lambda r: f"Nghị quyết {r.symbol} — {r.title}",
    )
)
