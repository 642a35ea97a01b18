"""The registry of printable document kinds. Each app declares its kinds in its `documents.py`
(a template and a context builder with a fixed number of queries); the pipeline looks them up
by key. Adding a printable document is a template and a `register(DocumentKind(...))`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet

from councilportal.access import can_edit
from councilportal.typing import AnyUser


def default_can_read(user: AnyUser, obj: Any) -> bool:
    return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()


def default_can_write(user: Any, obj: Any) -> bool:
    return can_edit(user, obj)


@dataclass(frozen=True)
class DocumentKind:
    """One printable document: what it is made from and how."""

    key: str
    label: Any
    model: type[Model]
    template: str
    build_context: Callable[[Any], dict[str, Any]]
    title: Callable[[Any], str]
    council_of: Callable[[Any], Any] = lambda obj: obj.council
    # Who may read the generated files, and who may ask for a new version.
    can_read: Callable[[Any, Any], bool] = default_can_read
    can_request: Callable[[Any, Any], bool] = default_can_write
    # Called on each download of a file (user, source), e.g. to log a read of an identity.
    on_download: Callable[[Any, Any], None] | None = None
    # A file that names a denouncer: stored encrypted with the field keys, never in clear.
    confidential: bool = False
    # How the pipeline loads the source (its select/prefetch), once: `build_context` receives
    # that object and loads nothing it already holds.
    queryset: QuerySet[Any] | None = None

    def source(self, pk: Any) -> Any:
        """The source record of this kind with what its context needs, or None if it is gone."""
        queryset = self.model._default_manager.all() if self.queryset is None else self.queryset
        return queryset.filter(pk=pk).first()


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    _KINDS[kind.key] = kind
    return kind


def get_kind(key: str) -> DocumentKind | None:
    return _KINDS.get(key)


def kinds_for(model: type[Model]) -> list[DocumentKind]:
    return [kind for kind in _KINDS.values() if kind.model is model]


# Called on each download of an attachment of a model (user, owner id): an app that must log
# such reads registers here (petitions: a denunciation's scan, DOMAIN.md §2).
_ATTACHMENT_READERS: dict[type[Model], Callable[[Any, int], None]] = {}


def on_attachment_download(model: type[Model], reader: Callable[[Any, int], None]) -> None:
    _ATTACHMENT_READERS[model] = reader


def attachment_downloaded(model: type[Model] | None, user: AnyUser, owner_id: int) -> None:
    reader = _ATTACHMENT_READERS.get(model) if model is not None else None
    if reader is not None:
        reader(user, owner_id)
