"""Template helpers of the public portal: the public URL and label of a record found by the
search."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from councilportal.models import Council, Delegate
from petitions.models import VoterRecommendation
from resolutions.models import Resolution
from supervision.models import Activity, Question

register = template.Library()


@register.filter
def public_url(obj: Any) -> str:
    if isinstance(obj, Council):
        return reverse("public:council-detail", args=[obj.pk])
    if isinstance(obj, Resolution):
        return reverse("public:resolution-detail", args=[obj.pk])
    if isinstance(obj, Delegate):
        return reverse("public:delegate-detail", args=[obj.pk])
    if isinstance(obj, Activity):
        return reverse("public:activity-detail", args=[obj.pk])
    if isinstance(obj, Question):
        return reverse("public:questioning-detail", args=[obj.questioning_id]) + f"#q-{obj.pk}"
    if isinstance(obj, VoterRecommendation):
        return reverse("public:recommendation-list", args=[obj.council_id])
    return ""


@register.filter
def public_label(obj: Any) -> str:
    if isinstance(obj, Delegate):
        return f"{obj.full_name} — {obj.term.council.name}"
    if isinstance(obj, Resolution):
        return f"{obj.symbol} — {obj.title} ({obj.council.name})"
    if isinstance(obj, Question):
        return f"{obj.questioning.title}: {obj.content[:120]}"
    if isinstance(obj, VoterRecommendation):
        return obj.content[:160]
    return str(obj.name if isinstance(obj, Council) else getattr(obj, "title", obj))


@register.simple_tag(takes_context=True)
def council_tabs(context: Any, council: Any) -> list[tuple[str, str, bool]]:
    """The sections of a council's public pages: (URL, label, is the current page)."""
    from django.utils.translation import gettext as _

    path = context["request"].path
    tabs = [
        ("public:council-detail", _("Session calendar")),
        ("public:resolution-list", _("Resolutions")),
        ("public:supervision", _("Supervision")),
        ("public:delegate-list", _("Delegates")),
        ("public:questioning-list", _("Questioning")),
        ("public:recommendation-list", _("Answers to voters")),
        ("public:petition-create", _("Send a petition")),
    ]
    found = []
    for name, label in tabs:
        url = reverse(name, args=[council.pk])
        found.append((url, label, url == path))
    return found
