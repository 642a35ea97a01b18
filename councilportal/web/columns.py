"""A list's or an export's column: a header and a dotted path resolved on each row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Column:
    """A column of a register table: the attribute path shown, its header, its sort key."""

    attr: str
    label: Any
    sort: str | None = None
    link: bool = False


def resolve(obj: Any, path: str) -> Any:
    """Follow "a.b.c" on an object; use get_FOO_display for choice fields."""
    value = obj
    parts = path.split(".")
    for i, part in enumerate(parts):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        if i == len(parts) - 1 and callable(display):
            return display()
        value = getattr(value, part)
        if callable(value) and not isinstance(value, models.Manager):
            value = value()
    return value
