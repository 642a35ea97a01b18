"""Importing records from .xlsx / .csv: one framework, a declared kind per register.

Each row is validated by the same Django form the interface uses, with the user's scope (a row
for a council the user may not write is refused like a choice in the form would be), so the
messages are the interface's Vietnamese ones. One exception: a kind declared with `bulk=` (the
petitions register, 100,000 rows in under a minute) validates its rows itself, without a form
per row, from the same pieces as the app's service (the rules through a `deadlines.RuleBook`,
the app's pure functions), and writes them with `spreadsheets.bulk.insert_with_history`.

An import is all-or-nothing: every row is written inside one transaction, which is rolled back
when any row is invalid or when the run is a dry run. The report gives, per row and with its
line number in the file, what would be (or was) created or updated, and every error.

Apps (the core included) declare their kinds in `<app>/imports.py` with
`register_import(ImportKind(...))`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from councilportal.access import can_edit
from councilportal.spreadsheets.io import SpreadsheetError, read_rows, xlsx_bytes
from councilportal.typing import AnyUser, User
from councilportal.web.text import search_normalise


@dataclass(frozen=True)
class ImportColumn:
    """A column of an import template: its Vietnamese header, the form field it fills, how to
    write it, an example, and how its text becomes the form's value."""

    header: str
    field: str
    required: bool = False
    fmt: str = ""  # how to write it, for the template's notes and docs/import.md
    example: Any = ""
    convert: Callable[[str, dict[str, Any]], Any] | None = None
    # How a stored record fills this column on export: an attribute path ("council.code"),
    # a function of the record, or by default the field itself (choices as their labels).
    out: str | Callable[[Any], Any] | None = None

    def export_value(self, obj: Any) -> Any:
        from councilportal.web.columns import resolve

        if callable(self.out):
            return self.out(obj)
        return resolve(obj, self.out or self.field)


def _creates(values: dict[str, Any]) -> None:
    return None


@dataclass(frozen=True)
class ImportKind:
    """A register that can be imported: declare only what differs from the defaults (rows
    always create, through `form.save()`, with the form's usual arguments)."""

    key: str
    label: Any
    model: type[models.Model]
    columns: list[ImportColumn]
    # A ScopedModelForm: (data=, instance=, user=); None for a kind written in `bulk`.
    form_class: type[Any] | None = None
    # Finds the existing record a row updates (None: the row creates one); gets the row's
    # values by form field name, after conversion. See `match_on()`.
    match: Callable[[dict[str, Any]], models.Model | None] = _creates
    match_rule: str = ""  # in words, for the preview and docs/import.md
    # Extra keyword arguments for the form (besides data, instance and user). See
    # `initial_from()`.
    form_kwargs: Callable[[dict[str, Any], Any], dict[str, Any]] = lambda values, instance: {}
    # How a valid form is written: the app's service when it has one (numbering, checks…);
    # form.save() by default. A ValidationError it raises is reported on the row.
    save: Callable[[Any, Any], Any] | None = None
    # A register imported in bulk (tens of thousands of rows) validates and writes its rows
    # itself, with the same (kind, header, rows, user, report) as the row-by-row writer.
    bulk: Callable[..., None] | None = None
    # The register (URL name) a finished import links to.
    register: str = ""
    # Who may import this kind at all (None: anyone who writes somewhere); others are told.
    allowed: Callable[[Any], bool] | None = None
    refusal: Any = ""

    def allows(self, user: AnyUser | Operator) -> bool:
        return self.allowed is None or bool(self.allowed(user))

    @property
    def slug(self) -> str:
        """The Vietnamese label in ASCII for file names: "Đại biểu" → "dai-bieu"."""
        from django.utils import translation
        from django.utils.text import slugify

        with translation.override("vi"):
            label = str(self.label)
        return slugify(label.replace("Đ", "D").replace("đ", "d")) or self.key

    def export_rows(self, objects: Iterable[Any]) -> Iterable[list[Any]]:
        for obj in objects:
            yield [column.export_value(obj) for column in self.columns]

    def template_bytes(self) -> bytes:
        headers = [c.header for c in self.columns]
        return xlsx_bytes(str(self.label), headers, [[c.example for c in self.columns]])


_KINDS: dict[str, ImportKind] = {}


def register_import(kind: ImportKind) -> ImportKind:
    _KINDS[kind.key] = kind
    return kind


def import_kinds() -> list[ImportKind]:
    return list(_KINDS.values())


def get_import_kind(key: str) -> ImportKind | None:
    return _KINDS.get(key)


def import_kind_for(model: type[models.Model]) -> ImportKind | None:
    """The import kind of a register, whose columns its export uses (a round trip: export,
    edit, import)."""
    return next((kind for kind in _KINDS.values() if kind.model is model), None)


# Declaring a kind ---------------------------------------------------------------------------

DATE = "dd/mm/yyyy"  # how a date column is written


def match_on(
    model: type[models.Model],
    *,
    numbers: Iterable[str] = (),
    where: dict[str, Any] | None = None,
    **lookups: str,
) -> Callable[[dict[str, Any]], models.Model | None]:
    """The usual `match`: the record whose `lookups` (model lookup → column) equal the row's
    values, and that satisfies `where`. A row whose record lookup (`…_id`) is not a found
    record, or whose `numbers` column is not a whole number, matches nothing (it creates)."""
    numeric = set(numbers)

    def match(values: dict[str, Any]) -> models.Model | None:
        filters = dict(where or {})
        for lookup, column in lookups.items():
            value = values.get(column, "")
            if lookup.endswith("_id") and not isinstance(value, int):
                return None
            if column in numeric:
                value = str(value)
                if not (value.isascii() and value.isdigit()):
                    return None
                value = int(value)
            filters[lookup] = value
        return model._default_manager.filter(**filters).first()

    return match


def initial_from(
    **fields: str,
) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """`form_kwargs` giving an updated record's stored values as the initial values of form
    fields that are not model fields (form field → attribute): an unedited export of the record
    is then "unchanged"."""

    def kwargs(values: dict[str, Any], instance: Any) -> dict[str, Any]:
        if instance is None:
            return {}
        return {"initial": {name: getattr(instance, attr) for name, attr in fields.items()}}

    return kwargs


# Conversions of cell text into form values -------------------------------------------------


def text(value: Any) -> str:
    """A cell as text: dates dd/mm/yyyy, whole numbers without ".0", blanks empty."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def choice(choices: Iterable[tuple[str, Any]]) -> Callable[[str, dict[str, Any]], str]:
    """Accept a choice's code or its label in any language, accents and case ignored."""
    table: dict[str, str] = {}
    for value, label in choices:
        table[search_normalise(str(value))] = value
        table[search_normalise(str(label))] = value

    def convert(raw: str, row: dict[str, Any]) -> str:
        if not raw:
            return ""
        from django.utils import translation

        key = search_normalise(raw)
        if key in table:
            return table[key]
        # Labels are lazy: compare with both languages' wording.
        for lang in ("vi", "en"):
            with translation.override(lang):
                for value, label in choices:
                    if search_normalise(str(label)) == key:
                        return value
        return raw  # the form reports "not one of the available choices"

    convert.choices = choices  # type: ignore[attr-defined]
    return convert


def yes_no(raw: str, row: dict[str, Any]) -> str:
    key = search_normalise(raw)
    return "on" if key in {"co", "x", "1", "true", "yes", "dung"} else ""


def by_natural_key(
    model: type[models.Model], lookup: str, **extra: str
) -> Callable[[str, dict[str, Any]], Any]:
    """A foreign key written as a natural key (a council's code…) → the record's pk. `extra`
    maps further lookups to other columns' converted values (a term: council code + ordinal)."""

    def convert(raw: str, row: dict[str, Any]) -> Any:
        if not raw:
            return ""
        filters = {lookup: raw}
        for other_lookup, column in extra.items():
            filters[other_lookup] = row.get(column, "")
        key = (model._meta.label, *sorted(filters.items()))
        # Cached for one import run only: a code's record may be deleted and created again
        # between runs (with a new pk on PostgreSQL, whose sequences never go back).
        cache = _run_cache.get()
        if cache is not None and key in cache:
            return cache[key]
        try:
            found = list(model._default_manager.filter(**filters).values_list("pk", flat=True)[:2])
        except (ValueError, TypeError, ValidationError):
            found = []  # text where the key is a number ("abc" as a session's ordinal)
        value = found[0] if len(found) == 1 else f"?{raw}"
        if cache is not None:
            cache[key] = value
        return value

    # What the row's messages need to say which record was not found and which are valid.
    convert.natural = (lookup, extra)  # type: ignore[attr-defined]
    return convert


_run_cache: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar(
    "import_lookup_cache", default=None
)
_run_notes: ContextVar[list[Callable[[], str]] | None] = ContextVar("import_notes", default=None)


def council_column(fmt: str = "mã đã có", example: str = "HY") -> ImportColumn:
    """The "Mã HĐND" column that every kind of a council's records starts with."""
    from councilportal.models import Council

    return ImportColumn(
        "Mã HĐND",
        "council",
        True,
        fmt,
        example,
        by_natural_key(Council, "code"),
        out="council.code",
    )


def add_note(note: Callable[[], str]) -> None:
    """A line for the report once the import is committed (computed then: a set-password
    token is made from the committed user)."""
    notes = _run_notes.get()
    if notes is not None:
        notes.append(note)


# Running an import -----------------------------------------------------------------------


@dataclass
class RowResult:
    line: int
    action: str  # "create" | "update" | "unchanged" | "error"
    label: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    kind: ImportKind
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    committed: bool = False
    # Shown once after a committed import (the set-password links of imported users).
    notes: list[str] = field(default_factory=list)
    # The councils of the records written (for the link to the register, filtered to them).
    councils: set[int] = field(default_factory=set)

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.action == "create")

    @property
    def updated(self) -> int:
        return sum(1 for r in self.rows if r.action == "update")

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.rows if r.action == "unchanged")

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.rows if r.action == "error"]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.errors


class _Rollback(Exception):
    pass


def _values_of(kind: ImportKind, header: list[str], raw_row: list[Any]) -> dict[str, Any]:
    by_header = {search_normalise(h): i for i, h in enumerate(header)}
    values: dict[str, Any] = {}
    for column in kind.columns:
        index = by_header.get(search_normalise(column.header))
        cell = text(raw_row[index]) if index is not None and index < len(raw_row) else ""
        values[column.field] = cell
    raw = dict(values)
    for column in kind.columns:  # conversions may read other columns' raw text
        if column.convert is not None:
            values[column.field] = column.convert(values[column.field], values)
    values[RAW] = raw
    return values


RAW = "__raw__"  # the row's cells as typed, by form field name (for messages)


def check_header(kind: ImportKind, header: list[str]) -> list[str]:
    present = {search_normalise(h) for h in header if h}
    missing = [
        c.header for c in kind.columns if c.required and search_normalise(c.header) not in present
    ]
    if missing:
        return [
            _("The file lacks these columns of the template: %(columns)s.")
            % {"columns": ", ".join(missing)}
        ]
    return []


def run_import(
    *, kind: ImportKind, upload: Any, user: User | Operator, dry_run: bool
) -> ImportReport:
    """Validate every row and write them all, or nothing (dry run, or any invalid row)."""
    token = _run_cache.set({})
    notes: list[Callable[[], str]] = []
    notes_token = _run_notes.set(notes)
    try:
        report = _run_import(kind=kind, upload=upload, user=user, dry_run=dry_run)
    finally:
        _run_cache.reset(token)
        _run_notes.reset(notes_token)
    if report.committed:
        report.notes = [note() for note in notes]
    return report


def _run_import(
    *, kind: ImportKind, upload: Any, user: User | Operator, dry_run: bool
) -> ImportReport:
    report = ImportReport(kind=kind, dry_run=dry_run)
    if not kind.allows(user):
        report.file_errors.append(str(kind.refusal))
        return report
    try:
        header, rows = read_rows(upload)
    except SpreadsheetError as exc:
        report.file_errors.append(str(exc))
        return report
    report.file_errors += check_header(kind, header)
    if report.file_errors:
        return report
    try:
        with transaction.atomic():
            (kind.bulk or _write_rows)(kind, header, rows, user, report)
            if dry_run or not report.ok or not report.rows:
                raise _Rollback
            report.committed = True
    except _Rollback:
        pass
    except SpreadsheetError as exc:
        report.file_errors.append(str(exc))
    if not report.rows and not report.file_errors:
        report.file_errors.append(_("The file has no rows under its header."))
    return report


def _write_rows(
    kind: ImportKind,
    header: list[str],
    rows: Iterable[list[Any]],
    user: User | Operator,
    report: ImportReport,
) -> None:
    for line, raw_row in enumerate(rows, start=2):  # line 1 is the header
        if not any(text(v) for v in raw_row):
            continue  # blank line
        values = _values_of(kind, header, raw_row)
        instance = kind.match(values)
        if instance is not None and not _visible(instance, user):
            instance = None  # never reveal a record the user may not read: treat as new
        assert kind.form_class is not None  # a kind without a form is written in bulk
        form = kind.form_class(
            data=values, instance=instance, user=user, **kind.form_kwargs(values, instance)
        )
        # A field of the edit form that the kind has no column for keeps the record's value
        # (or the model's default for a new one): a round trip must not clear it, nor untick a
        # box ("published") that the sheet does not carry.
        covered = {column.field for column in kind.columns}
        missing = [name for name in form.fields if name not in covered and name not in values]
        if missing:
            values = {**values, **{name: form[name].initial for name in missing}}
            form = kind.form_class(
                data=values, instance=instance, user=user, **kind.form_kwargs(values, instance)
            )
        if instance is not None and not form.has_changed():
            # The row says what is stored already (a round trip of an export): nothing to
            # write, whether or not the user may change it.
            report.rows.append(RowResult(line, "unchanged", label=str(instance)))
            continue
        if instance is not None and not _editable(instance, user):
            # The edit page's rule (403 there): a record the user reads but may not change,
            # e.g. a council below a province clerk's or a leader's, is never rewritten.
            report.rows.append(RowResult(line, "error", errors=[_refusal(instance)]))
            continue
        if not form.is_valid():
            report.rows.append(RowResult(line, "error", errors=_messages(kind, form, values)))
            continue
        try:
            with transaction.atomic():
                saved = kind.save(form, user) if kind.save else form.save()
        except IntegrityError as exc:
            report.rows.append(RowResult(line, "error", errors=[_integrity_message(exc)]))
            continue
        except ValidationError as exc:
            report.rows.append(RowResult(line, "error", errors=list(exc.messages)))
            continue
        report.rows.append(RowResult(line, "update" if instance else "create", label=str(saved)))
        council = council_of(saved)
        if council is not None:
            report.councils.add(council.pk)


def _visible(instance: models.Model, user: User | Operator) -> bool:
    manager: Any = type(instance)._default_manager
    if not hasattr(manager, "visible_to"):
        return True
    return bool(manager.visible_to(user).filter(pk=instance.pk).exists())


def common_council(council_ids: Iterable[int]) -> Any:
    """The lowest council that is, or is above, every one of these (None: none is)."""
    from councilportal.models import Council

    paths = list(Council.objects.filter(pk__in=list(council_ids)).values_list("path", flat=True))
    if not paths:
        return None
    parts = [p.rstrip("/").split("/") for p in paths]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    if not common:
        return None
    return Council.objects.filter(path="/".join(common) + "/").first()


def _editable(instance: models.Model, user: User | Operator) -> bool:
    manager: Any = type(instance)._default_manager
    if not hasattr(manager, "editable_by"):
        return bool(getattr(user, "is_superuser", False))
    return can_edit(user, instance)  # type: ignore[arg-type]  # Operator: the scoping reads .pk


def council_of(instance: models.Model) -> Any:
    """The council a scoped record belongs to (the council itself for a council)."""
    path = getattr(type(instance)._default_manager.all(), "scope_field", "council")
    obj: Any = instance
    for step in [s for s in path.split("__") if s]:
        obj = getattr(obj, step, None)
    return obj


def _refusal(instance: models.Model) -> str:
    return _(
        "You have no right to change “%(record)s” of %(council)s: you may read that council's "
        "records but not change them (as on its edit page)."
    ) % {"record": instance, "council": council_of(instance)}


def _messages(kind: ImportKind, form: Any, values: dict[str, Any] | None = None) -> list[str]:
    columns = {c.field: c for c in kind.columns}
    out = []
    for name, errors in form.errors.as_data().items():
        column = columns.get(name)
        where = column.header if column else ""
        for error in errors:
            for message in error.messages:
                if error.code == "invalid_choice" and column is not None and name in form.fields:
                    message = _invalid_choice(kind, form, column, values or {}) or message
                out.append(f"{where}: {message}" if where else str(message))
    return out


def _joined(items: Iterable[Any], limit: int = 30) -> str:
    shown = [str(i) for i in items]
    if not shown:
        return _("none that you may write")
    more = "…" if len(shown) > limit else ""
    return ", ".join(shown[:limit]) + more


def _invalid_choice(
    kind: ImportKind, form: Any, column: ImportColumn, values: dict[str, Any]
) -> str:
    """A choice that is not valid: what was typed, what was not found, and what is valid."""
    field = form.fields[column.field]
    raw = values.get(RAW, {}).get(column.field, "")
    natural = getattr(column.convert, "natural", None)
    if natural is not None and hasattr(field, "queryset"):
        lookup, extra = natural
        headers = {c.field: c.header for c in kind.columns}
        queryset = field.queryset
        context = []
        for other_lookup, other in extra.items():
            given = values.get(other, "")
            if given in ("", None) or str(given).startswith("?"):
                continue
            try:
                queryset = queryset.filter(**{other_lookup: given})
            except (ValueError, TypeError, ValidationError):
                continue
            context.append(f"{headers.get(other, other)} {values.get(RAW, {}).get(other, given)}")
        try:
            valid = sorted(set(queryset.values_list(lookup, flat=True)[:1000]), key=str)
        except (ValueError, TypeError, ValidationError):
            valid = []
        return _(
            "no %(what)s “%(raw)s” that you may write was found%(context)s. "
            "Valid values: %(valid)s."
        ) % {
            "what": str(field.queryset.model._meta.verbose_name),
            "raw": raw,
            "context": (" (" + ", ".join(context) + ")") if context else "",
            "valid": _joined(valid),
        }
    choices = getattr(field, "choices", None)
    if choices is not None and not hasattr(field, "queryset"):
        labels = [str(label) for value, label in choices if value not in ("", None)]
        return _("“%(raw)s” is not one of the choices. Valid values: %(valid)s.") % {
            "raw": raw,
            "valid": _joined(labels, limit=60),
        }
    return ""


def _integrity_message(exc: IntegrityError) -> str:
    return _("The row conflicts with a record already stored (%(detail)s).") % {
        "detail": str(exc).splitlines()[0][:200]
    }


class Operator:
    """The command line's user: the operator of the machine, who may write everywhere."""

    pk = None
    id = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = True
    username = "command-line"

    def __str__(self) -> str:
        return self.username


# A preview's upload is kept this long for its confirmation (the token's lifetime too);
# abandoned ones are purged after it, on each new import and by a periodic job.
STASH_SECONDS = 3600


def _stash_cipher() -> Any:
    """The key of stashed uploads: the field keys (the MultiFernet of the encrypted fields,
    rotated with them), never a key derived from SECRET_KEY."""
    from petitions.crypto import _keys

    return _keys()[0]


def stash_purge(*, older_than: int = STASH_SECONDS) -> int:
    """Delete the stashed uploads older than `older_than` seconds (previews never confirmed);
    return how many were deleted."""
    import datetime as _dt

    from django.core.files.storage import default_storage
    from django.utils import timezone

    try:
        _dirs, files = default_storage.listdir("imports")
    except (FileNotFoundError, NotADirectoryError):
        return 0
    limit = timezone.now() - _dt.timedelta(seconds=older_than)
    deleted = 0
    for name in files:
        path = f"imports/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                deleted += 1
        except FileNotFoundError:
            continue  # purged by another process meanwhile
    return deleted


def stash_upload(upload: Any, user: User) -> str:
    """Keep an uploaded file between the preview and the confirmation: stored encrypted (a
    petitions register holds petitioners' and denouncers' identities) through the storage API
    (no local path), named by a random key, and handed back as a signed token bound to the
    user, valid for an hour."""
    import secrets

    from django.core import signing
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    stash_purge()
    name = getattr(upload, "name", "") or ""
    suffix = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
    sealed = ContentFile(_stash_cipher().encrypt(upload.read()))
    path = default_storage.save(f"imports/{secrets.token_hex(16)}{suffix}.enc", sealed)
    return signing.dumps({"path": path, "user": user.pk}, salt="imports")


def open_stash(token: str, user: User) -> Any:
    """The stashed file of a token, decrypted (None when forged, expired or another user's)."""
    import io

    from cryptography.fernet import InvalidToken
    from django.core import signing
    from django.core.files.storage import default_storage

    try:
        data = signing.loads(token, salt="imports", max_age=STASH_SECONDS)
    except signing.BadSignature:
        return None
    if data.get("user") != user.pk or not str(data.get("path", "")).startswith("imports/"):
        return None
    if not default_storage.exists(data["path"]):
        return None
    with default_storage.open(data["path"], "rb") as handle:
        try:
            content = _stash_cipher().decrypt(handle.read())
        except InvalidToken:
            return None
    plain = io.BytesIO(content)
    plain.name = data["path"].removesuffix(".enc")
    return plain


def drop_stash(token: str) -> None:
    from django.core import signing
    from django.core.files.storage import default_storage

    try:
        data = signing.loads(token, salt="imports", max_age=None)
    except signing.BadSignature:
        return
    path = str(data.get("path", ""))
    if path.startswith("imports/") and default_storage.exists(path):
        default_storage.delete(path)
