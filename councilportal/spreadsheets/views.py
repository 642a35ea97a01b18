"""Importing records from spreadsheets: choose a kind, download its template, upload a file,
read the dry-run preview (every row, every error with its line), then confirm."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councilportal.access import scopes
from councilportal.spreadsheets.importing import (
    ImportReport,
    common_council,
    drop_stash,
    get_import_kind,
    import_kinds,
    open_stash,
    run_import,
    stash_upload,
)
from councilportal.spreadsheets.io import XLSX_TYPE
from councilportal.typing import AuthenticatedHttpRequest, User

# Years of records in one workbook: larger than an attachment may be.
IMPORT_MAX_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What to import"), choices=[])
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(".xlsx or .csv (UTF-8), with the template's headers."),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (k.key, k.label) for k in import_kinds() if user is None or k.allows(user)
        ]
        self.fields["kind"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs.update(
            {"class": "form-control", "accept": f".xlsx,.csv,{XLSX_TYPE},text/csv"}
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or a .csv file."))
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": IMPORT_MAX_BYTES // 2**20}
            )
        return upload


def _require_writer(request: HttpRequest) -> None:
    if scopes(request.user)[1].empty:
        raise PermissionDenied


@login_required
def import_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_writer(request)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    report: ImportReport | None = None
    token = ""
    if request.method == "POST" and form.is_valid():
        kind = get_import_kind(form.cleaned_data["kind"])
        if kind is None:
            raise Http404
        upload = form.cleaned_data["file"]
        report = run_import(kind=kind, upload=upload, user=request.user, dry_run=True)
        if report.ok and report.rows:
            upload.seek(0)
            token = stash_upload(upload, request.user)
    return render(
        request,
        "core/import.html",
        {"form": form, "report": report, "token": token, "kinds": import_kinds()},
    )


@login_required
def import_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_writer(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    kind = get_import_kind(request.POST.get("kind", ""))
    token = request.POST.get("token", "")
    handle = open_stash(token, request.user) if kind else None
    if kind is None or handle is None:
        messages.error(request, _("The preview has expired: upload the file again."))
        return redirect("core:import")
    with handle:
        report = run_import(kind=kind, upload=handle, user=request.user, dry_run=False)
    drop_stash(token)
    if report.committed and not report.notes:
        messages.success(
            request,
            _("Imported: %(created)d created, %(updated)d updated.")
            % {"created": report.created, "updated": report.updated},
        )
        # Straight to the register the rows went into, narrowed to the council they were
        # written for (and the councils below it).
        if not kind.register:
            return redirect("core:import")
        url = reverse(kind.register)
        council = common_council(report.councils)
        return redirect(f"{url}?within={council.pk}" if council is not None else url)
    return render(
        request,
        "core/import.html",
        {
            "form": ImportForm(user=request.user),
            "report": report,
            "token": "",
            "kinds": import_kinds(),
        },
    )


@login_required
def import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The .xlsx template of a kind: Vietnamese headers and one example row."""
    kind = get_import_kind(request.GET.get("kind", ""))
    if kind is None:
        # No such template: the import page, which lists the templates there are.
        return render(
            request,
            "core/import.html",
            {
                "form": ImportForm(user=request.user),
                "report": None,
                "token": "",
                "kinds": import_kinds(),
            },
            status=404 if request.GET.get("kind") else 200,
        )
    response = HttpResponse(kind.template_bytes(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{kind.slug}.xlsx"'
    return response
