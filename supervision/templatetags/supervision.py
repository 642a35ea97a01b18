"""Template helpers of the supervision pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.html import format_html

register = template.Library()

CSS = {
    "open": "text-bg-secondary",
    "partly_done": "text-bg-info",
    "done": "text-bg-success",
    "overdue": "text-bg-danger",
    "cancelled": "text-bg-light border",
}


@register.simple_tag
def status_badge(recommendation: Any, on: dt.date | None = None) -> str:
    """A recommendation's status on a day as a badge with a word (never only a colour)."""
    status = recommendation.status_on(on)
    return format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        CSS.get(status, "text-bg-secondary"),
        status,
        recommendation.status_label(on),
    )
