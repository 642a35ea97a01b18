"""The one rendering helper: an HTML template and its context -> PDF bytes (WeasyPrint), laid
out by the shared Decree 30/2020/NĐ-CP print stylesheet and the fonts shipped in static/fonts.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import gc
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

STATIC_DIR = settings.BASE_DIR / "static"
PRINT_CSS = STATIC_DIR / "pdf" / "print.css"


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


@functools.lru_cache(maxsize=1)
def _weasy() -> tuple[Any, Any]:
    """The parsed stylesheet and font configuration, built once per process (workers render
    many documents; parsing fonts and CSS each time would dominate short documents)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    # Release it before interpreter teardown: its finaliser needs modules that are gone by then.
    atexit.register(_weasy.cache_clear)
    # Its font URLs are relative to the stylesheet itself (../fonts/), as collectstatic's
    # hashed-name rewriting also reads them.
    css = CSS(filename=str(PRINT_CSS), font_config=font_config)
    return css, font_config


def render_html(template: str, context: dict[str, Any]) -> str:
    # Official documents are always Vietnamese, whatever the requesting user's UI language.
    with translation.override("vi"):
        return render_to_string(template, context)


def html_to_pdf(html: str) -> RenderedPdf:
    """Render in a fresh thread: on Python 3.11 a render deep inside a worker's call stack
    (Celery → transaction callback → service) keeps crossing a stack-chunk boundary, freeing and
    re-allocating memory each time (CPython gh-142183); a new thread starts with a shallow
    stack. Measured by bench/documents.py."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf") as pool:
        return pool.submit(_render, html).result()


def _render(html: str) -> RenderedPdf:
    from weasyprint import HTML

    css, font_config = _weasy()
    # Layout allocates millions of short-lived objects; the cyclic collector would rescan the
    # whole (Django-sized) heap again and again. Pause it for the render, collect once after
    # (raising its thresholds instead was slower for the same peak memory).
    enabled = gc.isenabled()
    gc.disable()
    try:
        document = HTML(string=html, base_url=str(STATIC_DIR) + "/").render(
            stylesheets=[css], font_config=font_config
        )
        content = document.write_pdf()
        pages = len(document.pages)
        del document
    finally:
        if enabled:
            gc.enable()
    gc.collect()
    return RenderedPdf(content=content, page_count=pages)


def render_pdf(template: str, context: dict[str, Any]) -> RenderedPdf:
    return html_to_pdf(render_html(template, context))


def vn_date_line(place: str, day: dt.date) -> str:
    """The place-and-date line of Decree 30: days below 10 and months 1–2 take a leading zero.
    "Hưng Yên, ngày 05 tháng 02 năm 2024"; "Hưng Yên, ngày 15 tháng 3 năm 2024"."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def doc_number(number: int | None) -> str:
    """A document number with Decree 30's leading zero below 10 ("05"); blank when not issued."""
    if number is None:
        return "\u00a0" * 6
    return f"{number:02d}"
