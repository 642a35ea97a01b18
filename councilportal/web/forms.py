"""The base of every register's form: scoped council choices (limited to what the user may
write), date inputs, and the edit-conflict check."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from councilportal.models import Council
from councilportal.typing import User


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id no database row can have as an invalid choice: SQLite (the
    embedded defaults) raises OverflowError on an integer beyond 64 bits in the IN list that
    Django builds, where PostgreSQL just finds nothing."""

    def _check_values(self, value: Any) -> Any:
        pk = cast(QuerySet[Any], self.queryset).model._meta.pk
        if self.to_field_name is None and pk is not None and isinstance(pk, AutoFieldMixin):
            for item in value or []:
                text = str(item).strip()
                if text.lstrip("+-").isdigit() and not -(2**63) <= int(text) < 2**63:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": item},
                    )
        return super()._check_values(value)  # type: ignore[misc]  # private, not in the stubs


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy whatever the browser's language; portal.js adds a calendar
    button (the browser's own picker) next to it when JavaScript runs."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-datepicker": "1",
            "pattern": r"\d{1,2}/\d{1,2}/\d{4}",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """A form's model choice field by name, to narrow its queryset or labels: django-stubs
    types `form.fields[name]` as a plain Field."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def label_choices(form: forms.BaseForm, name: str, label: Callable[[Any], str]) -> None:
    """Label a model choice field's options with `label(obj)` instead of each object's str."""
    model_choice(form, name).label_from_instance = label  # type: ignore[method-assign, assignment]


class TypedCouncil(str):
    """A council typed by code or name in the chooser's box, not yet resolved to an id."""


def top_councils_q(visible: Any) -> Q:
    """The user's top councils: those whose parent the user does not read."""
    return Q(parent__isnull=True) | ~Q(parent__in=visible.values("pk"))


def nearby_councils(visible: Any, chosen: Any) -> list[Council]:
    """A short list of councils whatever the size of the country (a superuser reads thousands):
    the user's top councils (and those directly below when there is one top council), then the
    chosen council's ancestors, itself and the councils directly below it, in tree order (one
    query)."""
    tops = visible.filter(top_councils_q(visible))
    wanted: Any = top_councils_q(visible)
    chosen = str(chosen) if chosen not in (None, "") else ""
    if chosen.isdigit() and len(chosen) < 19:
        chosen_one = visible.filter(pk=chosen)
        # Its ancestors are the councils whose path begins its own; then itself and below.
        wanted |= Q(parent_id=chosen) | Exists(chosen_one.filter(path__startswith=OuterRef("path")))
    else:
        # One top council (a province's clerk or leader): its councils are the likely choices.
        count = Subquery(
            tops.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")
        )
        wanted |= Q(parent__in=tops.values("pk")) & Q(one_top=1)
        visible = visible.alias(one_top=count)
    return list(visible.filter(wanted).only("pk", "name", "depth", "path").order_by("path"))


def resolve_council(visible: Any, typed: str) -> Council:
    """The council a typed code or name designates, among those the user reads."""
    from councilportal.web.text import search_normalise

    exact = visible.filter(code__iexact=typed).first()
    if exact is not None:
        return exact
    key = search_normalise(typed)
    found = list(visible.filter(search_text__contains=key).order_by("path")[:6]) if key else []
    if len(found) > 1:
        named = [c for c in found if search_normalise(c.name) == key]
        found = named or found
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError(
            _("No council you may read has this code or name: %(typed)s."),
            params={"typed": typed},
        )
    raise ValidationError(
        _("Several councils match %(typed)s (%(names)s…): type more of the name or the code."),
        params={"typed": typed, "names": ", ".join(c.name for c in found[:5])},
    )


class CouncilChooser(forms.Select):
    """The council chooser of the dashboard and of every register's filters: a short select of
    nearby councils (see `nearby_councils`) and a box to type any other council's code or name
    (`<name>_find`), so a page never lists the thousands of councils a national user reads."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.resolved: Any = None

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        typed = str(data.get(f"{name}_find") or "").strip()
        if typed:
            return TypedCouncil(typed[:200])
        return super().value_from_datadict(data, files, name)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        if isinstance(value, TypedCouncil):
            value = self.resolved.pk if self.resolved is not None else None
        full = self.choices
        visible = getattr(full, "queryset", None)
        if visible is not None:
            councils = nearby_councils(visible, value)
            top = min((c.depth for c in councils), default=0)
            choices: list[tuple[Any, str]] = []
            empty = getattr(getattr(full, "field", None), "empty_label", None)
            if empty is not None:
                choices.append(("", str(empty)))
            choices += [(c.pk, "\u2003" * (c.depth - top) + c.name) for c in councils]
            self.choices = choices
        try:
            return super().get_context(name, value, attrs)
        finally:
            self.choices = full

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> Any:  # fmt: skip
        from django.utils.html import format_html

        select = super().render(name, value, attrs, renderer)
        typed = value if isinstance(value, TypedCouncil) and self.resolved is None else ""
        box = forms.TextInput(
            attrs={
                "class": "form-control form-control-sm mt-1",
                "placeholder": gettext("or type a code or name"),
                "aria-label": gettext("Or type a council's code or name"),
                "autocomplete": "off",
                "maxlength": "200",
            }
        ).render(f"{name}_find", typed or None, renderer=renderer)
        return format_html("{}{}", select, box)


class CouncilChoiceField(forms.ModelChoiceField):
    """A council among those the user reads, chosen in the list or typed by code or name."""

    widget = CouncilChooser

    def to_python(self, value: Any) -> Any:
        if isinstance(value, TypedCouncil):
            council = resolve_council(self.queryset, str(value))
            self.widget.resolved = council  # type: ignore[attr-defined]
            return council
        text = "" if value in self.empty_values else str(value).strip()
        if text and (not text.isdigit() or len(text) > 18):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


STAMP_FIELD = "record_stamp"


def record_stamp(record: Any, names: list[str] | None = None, *, lock: bool = False) -> str:
    """A fingerprint of a record's stored values (the named fields, or all of its columns):
    it changes whenever someone saves a change to them. Read from the database, not from the
    object, so it is the same for every reader; `lock` takes the row lock (inside a
    transaction) so that nobody can save between the check and the write."""
    model = type(record)
    concrete = {f.name: f for f in model._meta.concrete_fields}
    many = {f.name: f for f in model._meta.many_to_many}
    names = names or list(concrete)
    columns = [concrete[n].attname for n in names if n in concrete]
    rows = model._base_manager.filter(pk=record.pk)
    if lock:
        rows = rows.select_for_update(of=("self",))
    values: list[Any] = list(rows.values_list(*columns).first() or ())
    for name in names:
        if name in many:
            values.append(sorted(getattr(record, name).values_list("pk", flat=True)))
    return hashlib.sha256(repr(values).encode()).hexdigest()[:32]


class EditConflictMixin:
    """Optimistic concurrency for edit forms: the form carries the record's stamp from when it
    was loaded (a hidden field) and refuses to save over a change made since then — two clerks
    editing one record, the second is told and nothing is silently overwritten.

    A ModelForm guards its instance; a plain form editing a record passes `record=`. A post
    without the stamp (an old page, a script) is not checked."""

    fields: dict[str, forms.Field]
    data: Any
    is_bound: bool

    def __init__(self, *args: Any, record: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        record = record if record is not None else getattr(self, "instance", None)
        self.guarded = record if record is not None and record.pk is not None else None
        if self.guarded is None:
            return
        self.stamp_names = self._stamp_names()
        self.loaded_stamp = record_stamp(self.guarded, self.stamp_names)
        self.fields[STAMP_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.initial[STAMP_FIELD] = self.loaded_stamp  # type: ignore[attr-defined]

    def _stamp_names(self) -> list[str] | None:
        """A model form's own fields (what its save would overwrite); else every column."""
        if not isinstance(self, forms.ModelForm):
            return None
        assert self.guarded is not None  # only called once a saved record is guarded
        model_fields = {f.name for f in self.guarded._meta.get_fields()}
        names = [name for name in self.fields if name in model_fields]
        return names or None

    @cached_property
    def changed_data(self) -> list[str]:
        """What the user changed: the stamp is bookkeeping, not a change (an import row equal
        to the record must still count as unchanged)."""
        changed = super().changed_data  # type: ignore[misc]
        return [name for name in changed if name != STAMP_FIELD]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        if self.guarded is not None and self.is_bound:
            self.check_unchanged(self.loaded_stamp)

    def check_unchanged(self, current: str) -> bool:
        """False (and the form shows why) if the record changed since the form was loaded.
        The re-shown form carries the new stamp: saving it again is a deliberate choice."""
        posted = self.data.get(self.add_prefix(STAMP_FIELD))  # type: ignore[attr-defined]
        if not posted or posted == current:
            return True
        self.data = self.data.copy()
        self.data[self.add_prefix(STAMP_FIELD)] = current  # type: ignore[attr-defined]
        self.add_error(None, conflict_message(self.guarded))  # type: ignore[attr-defined]
        return False

    def still_unchanged(self) -> bool:
        """Check again under the row lock, inside the transaction that saves (closes the
        moment between validation and the write)."""
        if self.guarded is None:
            return True
        return self.check_unchanged(record_stamp(self.guarded, self.stamp_names, lock=True))


def conflict_message(record: Any) -> str:
    history = getattr(type(record), "history", None)
    last = None
    if history is not None:
        last = (
            type(record)
            .history.filter(**{record._meta.pk.attname: record.pk})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
            .first()
        )
    if last is not None:
        who = last.history_user
        return gettext(
            "Someone else changed this record while you were editing it (%(who)s, %(when)s). "
            "Review their changes and save again."
        ) % {
            "who": (who.get_full_name() or who.get_username()) if who else gettext("unknown"),
            "when": timezone.localtime(last.history_date).strftime("%d/%m/%Y %H:%M"),
        }
    return gettext(
        "Someone else changed this record while you were editing it. "
        "Review their changes and save again."
    )


class ScopedModelForm(EditConflictMixin, forms.ModelForm):
    """A model form that knows its user; subclasses narrow their choice fields with it."""

    date_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        for name in self.date_fields:
            if name in self.fields:
                self.fields[name].widget = DateInput()
        for field in self.fields.values():
            if getattr(field, "empty_label", None) is not None:
                field.empty_label = _("— choose —")  # type: ignore[attr-defined]  # checked above
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)
        self.narrow_choices()

    def narrow_choices(self) -> None:
        """Limit foreign-key choices to the user's scope."""

    def editable_councils(self) -> Any:
        return Council.objects.editable_by(self.user)
