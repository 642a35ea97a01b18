"""`path__subtree`: the materialised path of a council and of everything below it, matched
case-sensitively on every database. Django's `startswith` is a LIKE, which SQLite compares
without regard to ASCII case, so a council coded "hy" fell inside "HY/" (issue 15.16)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Lookup


@models.CharField.register_lookup
class Subtree(Lookup):  # type: ignore[type-arg]
    lookup_name = "subtree"

    def _prefix(self) -> str:
        if not isinstance(self.rhs, str):
            raise TypeError("path__subtree takes a path string")
        return self.rhs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        # PostgreSQL (and any database whose LIKE is case-sensitive): a prefix LIKE, which the
        # `varchar_pattern_ops` index Django adds to an indexed CharField serves.
        lhs, lhs_params = self.process_lhs(compiler, connection)
        escaped = self._prefix().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"{lhs} LIKE %s ESCAPE '\\'", [*lhs_params, escaped + "%"]

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        # GLOB is case-sensitive (and uses the index); its wildcards go inside brackets.
        lhs, lhs_params = self.process_lhs(compiler, connection)
        escaped = "".join(f"[{ch}]" if ch in "*?[" else ch for ch in self._prefix())
        return f"{lhs} GLOB %s", [*lhs_params, escaped + "*"]
