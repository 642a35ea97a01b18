"""Scoped list / detail / create / update / delete / history views, shared by every app.

Each register declares its model, filter set, form and columns; access always goes through the
model's `visible_to` / `editable_by` (councilportal.access), never a hand-written council filter.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import ProtectedError
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.generic import DeleteView, DetailView, TemplateView
from django.views.generic.edit import CreateView, UpdateView
from django_filters.views import FilterView

from councilportal.access import can_edit, get_for_user, scopes
from councilportal.spreadsheets.importing import import_kind_for
from councilportal.spreadsheets.io import EXPORT_FORMATS, MAX_EXPORT_ROWS, export_response
from councilportal.web.columns import Column, resolve
from councilportal.web.text import search_normalise


class ScopedMixin(LoginRequiredMixin):
    """Common parts: the model's name for titles, the namespace for URLs."""

    model: type[models.Model]
    url_namespace = "core"
    url_noun = ""
    request: HttpRequest

    def noun(self) -> str:
        return self.url_noun or self.model._meta.model_name or ""

    def url(self, action: str, *args: Any) -> str:
        return reverse(f"{self.url_namespace}:{self.noun()}-{action}", args=args)

    def can_create(self) -> bool:
        return not scopes(self.request.user)[1].empty

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        opts = self.model._meta
        context.update(
            verbose_name=opts.verbose_name,
            verbose_name_plural=opts.verbose_name_plural,
            list_url=self.url("list"),
            create_url=self.url("create") if self.can_create() else None,
            url_noun=self.noun(),
            url_namespace=self.url_namespace,
        )
        return context


class ScopedListView(ScopedMixin, FilterView):
    """A register: filters kept in the URL, sortable headers, pagination, constant queries."""

    template_name = "core/list.html"
    columns: list[Column] = []
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    paginate_by = settings.PAGE_SIZE
    strict = False

    def get_queryset(self) -> models.QuerySet[Any]:
        qs = self.model.objects.visible_to(self.request.user)  # type: ignore[attr-defined]
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    # The columns of "Xuất Excel" (the list's own by default): what a list leaves out or
    # redacts, its export leaves out or redacts too.
    export_columns: list[Column] | None = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get("export")
        if fmt in EXPORT_FORMATS:
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    def export(self, fmt: str) -> HttpResponse:
        """The filtered rows (all pages) as .xlsx or .csv."""
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid() and self.get_strict():
            queryset = filterset.queryset.none()
        else:
            queryset = filterset.qs
        if queryset.count() > MAX_EXPORT_ROWS:
            messages.error(
                self.request,
                _("More than %(n)s rows match: narrow the filters before exporting.")
                % {"n": f"{MAX_EXPORT_ROWS:,}".replace(",", ".")},
            )
            query = self.request.GET.copy()
            query.pop("export", None)
            return redirect(f"{self.request.path}?{query.urlencode()}")
        kind = import_kind_for(self.model) if self.export_columns is None else None
        if kind is not None:
            related = {
                column.out.rsplit(".", 1)[0].replace(".", "__")
                for column in kind.columns
                if isinstance(column.out, str) and "." in column.out
            }
            queryset = queryset.select_related(*related)
        # A view may prefetch in its own get_queryset: ask the queryset, not the attribute.
        chunk = 2000 if queryset._prefetch_related_lookups else None
        objects = queryset.iterator(chunk_size=chunk) if chunk else queryset.iterator()
        name = str(self.model._meta.verbose_name_plural)
        filename = "-".join(search_normalise(name).split()) or "export"
        if kind is not None:
            # The import template's columns: an export can be edited and imported back.
            headers = [column.header for column in kind.columns]
            return export_response(fmt, filename, name, headers, kind.export_rows(objects))
        columns = self.export_columns or self.columns
        rows = ([resolve(obj, col.attr) for col in columns] for obj in objects)
        return export_response(fmt, filename, name, [col.label for col in columns], rows)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = [
            (obj, [resolve(obj, col.attr) for col in self.columns])
            for obj in context["object_list"]
        ]
        context.update(columns=self.columns, rows=rows, can_export=True)
        return context


class ScopedDetailView(ScopedMixin, DetailView):
    template_name = "core/detail.html"
    fields_shown: list[str] = []
    select_related: tuple[str, ...] = ()

    def get_object(self, queryset: Any = None) -> models.Model:
        qs = self.model._default_manager.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return get_for_user(qs, self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj = self.object
        fields = []
        for name in self.fields_shown:
            field = obj._meta.get_field(name)
            value = resolve(obj, name)
            if isinstance(field, models.ManyToManyField):
                value = ", ".join(str(v) for v in getattr(obj, name).all())
            fields.append((field.verbose_name, value, getattr(field, "related_model", None)))
        context.update(
            fields=fields,
            can_edit=can_edit(self.request.user, obj),
            edit_url=self.url("update", obj.pk),
            delete_url=self.url("delete", obj.pk),
            history_url=self.url("history", obj.pk),
        )
        return context


class ScopedFormMixin(ScopedMixin):
    """Create and update: the form receives the user so its choices stay in scope."""

    template_name: str | None = "core/form.html"
    form_class: type[ModelForm] | None
    object: Any

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form: ModelForm) -> HttpResponse:
        with transaction.atomic():
            if not getattr(form, "still_unchanged", lambda: True)():
                # Someone saved this record since the form was loaded: show the form again.
                return self.form_invalid(form)  # type: ignore[attr-defined]  # the view's FormMixin
            self.object = form.save()
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class ScopedCreateView(ScopedFormMixin, CreateView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not self.can_create():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedUpdateView(ScopedFormMixin, UpdateView):
    def get_object(self, queryset: Any = None) -> models.Model:
        return get_for_user(
            self.model._default_manager.all(), self.request.user, self.kwargs["pk"], write=True
        )


class ScopedDeleteView(ScopedMixin, DeleteView):
    template_name = "core/confirm_delete.html"
    # Deleting goes through the confirmation form (POST) only; DeleteView's own DELETE handler
    # would bypass form_valid (and its checks) and has no success URL: answer 405 instead.
    http_method_names = ["get", "post", "head", "options"]

    def get_object(self, queryset: Any = None) -> models.Model:
        return get_for_user(
            self.model._default_manager.all(), self.request.user, self.kwargs["pk"], write=True
        )

    def form_valid(self, form: Any) -> HttpResponse:
        obj = self.object
        try:
            with transaction.atomic():
                obj.delete()
        except ProtectedError as exc:
            used_by = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
            messages.error(
                self.request,
                _("This record cannot be deleted because other records use it: %(used)s.")
                % {"used": ", ".join(used_by)},
            )
            return redirect(obj.get_absolute_url())
        messages.success(self.request, _("Deleted."))
        return redirect(self.url("list"))


@dataclass(frozen=True)
class ChildHistory:
    """Part of a record's story kept in another table: the historical rows of its children
    (a session's agenda items, a petition's forwarding slips…), with a label and how to name
    one child in a line of the history (`describe` gets a historical row; give it the
    `select_related` it reads so the page's queries do not grow with the rows)."""

    label: Any
    records: Callable[[Any], Any]
    describe: Callable[[Any], str] = str


@dataclass
class HistoryEntry:
    record: Any
    changes: list[tuple[Any, Any, Any]]
    subject: str = ""


def history_entries(records: Any, model: type[models.Model], subject: Any = None) -> list[Any]:
    """One entry per historical row, with the fields changed since the previous row of the
    same object (rows of several objects may be mixed: each is compared with its own)."""
    rows = sorted(records, key=lambda r: (r.history_date, r.history_id))
    previous: dict[Any, Any] = {}
    entries = []
    for record in rows:
        older = previous.get(record.id)
        changes = []
        if older is not None:
            for change in record.diff_against(older).changes:
                field = cast("models.Field[Any, Any]", model._meta.get_field(change.field))
                changes.append(
                    (field.verbose_name, _display(field, change.old), _display(field, change.new))
                )
        previous[record.id] = record
        entries.append(HistoryEntry(record, changes, subject(record) if subject else ""))
    return entries


class ScopedHistoryView(ScopedMixin, TemplateView):
    """The audit history of one record: who changed what, when — its own changes and those of
    the child records it declares in `child_histories`, merged newest first."""

    template_name = "core/history.html"
    child_histories: tuple[ChildHistory, ...] = ()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj = get_for_user(self.model._default_manager.all(), self.request.user, self.kwargs["pk"])
        entries = history_entries(
            obj.history.select_related("history_user"),  # type: ignore[attr-defined]
            self.model,
        )
        for child in self.child_histories:
            records = child.records(obj).select_related("history_user")
            label, describe = child.label, child.describe
            entries += history_entries(
                records,
                records.model.instance_type,
                lambda r, label=label, describe=describe: f"{label}: {describe(r)}",
            )
        entries.sort(key=lambda e: (e.record.history_date, e.record.history_id), reverse=True)
        context.update(
            object=obj,
            entries=entries,
            detail_url=obj.get_absolute_url(),  # type: ignore[attr-defined]
            with_children=bool(self.child_histories),
        )
        return context


def _display(field: Any, value: Any) -> Any:
    if value in (None, ""):
        return "—"
    if getattr(field, "choices", None):
        return dict(field.choices).get(value, value)
    if isinstance(field, models.ForeignKey):
        related_model = cast(type[models.Model], field.related_model)
        related = related_model._default_manager.filter(pk=value).first()
        return related if related is not None else value
    return value


# One register declared once ----------------------------------------------------------------

_VERBS: dict[str, tuple[type, str]] = {
    "list": (ScopedListView, ""),
    "create": (ScopedCreateView, "new/"),
    "detail": (ScopedDetailView, "<int:pk>/"),
    "update": (ScopedUpdateView, "<int:pk>/edit/"),
    "delete": (ScopedDeleteView, "<int:pk>/delete/"),
    "history": (ScopedHistoryView, "<int:pk>/history/"),
}

# What a verb's argument may be: True (the plain scoped page), False (no such page), a class
# with the page's own behaviour (a subclass of the verb's Scoped*View, or a mixin put in front
# of it), which the register completes with the declaration, or a function view used as is.
Page = bool | type | Callable[..., HttpResponse]


class Register:
    """A register of one model declared once: its scoped list, create, detail, update, delete
    and history pages (those asked for) and their `<noun>-<verb>` URLs.

        programmes = Register(Programme, namespace="supervision", form=forms.ProgrammeForm,
                              filterset=filters.ProgrammeFilter, columns=[...],
                              select_related=("council", "organ"), detail=programme_detail)
        urlpatterns = [*programmes.urls("programmes/"), ...]

    Each page built is a named class (`ProgrammeList`, `ProgrammeCreate`...) reachable as
    `programmes.list_view`, `programmes.create_view`...; each carries the model, which the
    access matrix reads to try every URL. Child records are not a register's business: they
    keep their own small function views on their parent's page."""

    # The pages built, by verb (those asked for): `programmes.list_view`...
    list_view: Any
    create_view: Any
    detail_view: Any
    update_view: Any
    delete_view: Any
    history_view: Any

    def __init__(
        self,
        model: type[models.Model],
        *,
        namespace: str,
        noun: str = "",
        form: type[ModelForm] | None = None,
        filterset: type | None = None,
        columns: list[Column] | None = None,
        export_columns: list[Column] | None = None,
        select_related: tuple[str, ...] | None = None,
        prefetch_related: tuple[Any, ...] | None = None,
        fields_shown: list[str] | None = None,
        list_template: str = "",
        detail_template: str = "",
        child_histories: tuple[ChildHistory, ...] | None = None,
        list: Page = True,  # the verbs are the pages' names
        create: Page = True,
        detail: Page = True,
        update: Page = True,
        delete: Page = True,
        history: Page = True,
    ) -> None:
        self.model = model
        self.namespace = namespace
        self.noun = noun or model._meta.model_name or ""
        common: dict[str, Any] = {"model": model, "url_namespace": namespace, "url_noun": noun}
        declared: dict[str, dict[str, Any]] = {
            "list": {
                "filterset_class": filterset,
                "columns": columns,
                "export_columns": export_columns,
                "select_related": select_related,
                "prefetch_related": prefetch_related,
                "template_name": list_template or None,
            },
            "create": {"form_class": form},
            "detail": {
                "fields_shown": fields_shown,
                "select_related": select_related,
                "template_name": detail_template or None,
            },
            "update": {"form_class": form},
            "delete": {},
            "history": {"child_histories": child_histories},
        }
        pages = {
            "list": list,
            "create": create,
            "detail": detail,
            "update": update,
            "delete": delete,
            "history": history,
        }
        module = sys._getframe(1).f_globals.get("__name__", __name__)
        self.views: dict[str, Any] = {}
        for verb, page in pages.items():
            if page is False:
                continue
            base = _VERBS[verb][0]
            if page is True or isinstance(page, type):
                attrs = {k: v for k, v in declared[verb].items() if v is not None}
                if page is True:
                    bases: tuple[type, ...] = (base,)
                else:
                    bases = (page,) if issubclass(page, base) else (page, base)  # type: ignore[arg-type]
                    # The page's own attributes win over the declaration's.
                    own = [c for c in page.__mro__ if c not in base.__mro__]  # type: ignore[union-attr]
                    attrs = {k: v for k, v in attrs.items() if not any(k in vars(c) for c in own)}
                name = f"{model.__name__}{verb.title()}"
                page = type(
                    name,
                    bases,
                    {**common, **attrs, "__module__": module, "__qualname__": name},
                )
            self.views[verb] = page
            setattr(self, f"{verb}_view", page)

    def urls(self, prefix: str, *, list_route: str | None = None) -> list[URLPattern]:
        """The register's URL patterns under `prefix` ("programmes/"): the list at the prefix
        (or at `list_route`), then `new/`, `<pk>/`, `<pk>/edit/`, `<pk>/delete/`,
        `<pk>/history/`, named `<noun>-<verb>`."""
        patterns = []
        for verb, page in self.views.items():
            route = prefix + _VERBS[verb][1]
            if verb == "list" and list_route is not None:
                route = list_route
            view = cast(Any, page).as_view() if isinstance(page, type) else page
            patterns.append(path(route, view, name=f"{self.noun}-{verb}"))
        return patterns
