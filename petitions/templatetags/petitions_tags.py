"""Template helpers of the petitions pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def field_with_id(field: Any, prefix: str, pk: Any) -> Any:
    """A form field rendered with an id unique on a page showing one form per item."""
    return field.as_widget(attrs={"id": f"{prefix}-{pk}-{field.name}"})
