"""A follow-up's page, where its answer is recorded."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from councilportal.access import can_edit, object_view
from councilportal.follow_ups import forms
from councilportal.follow_ups.services import follow_up_answer
from councilportal.models import FollowUp
from councilportal.typing import AuthenticatedHttpRequest


@object_view(FollowUp, related=("council", "to_agency", "to_council", "to_organ", "source_type"))
def follow_up_detail(request: AuthenticatedHttpRequest, follow_up: FollowUp) -> HttpResponse:
    """A follow-up with its answers; those who may write record a new answer and the status."""
    editable = can_edit(request.user, follow_up)
    form = forms.FollowUpAnswerForm(
        request.POST or None,
        initial={
            "status": follow_up.status,
            "progress": follow_up.progress,
            "received_on": timezone.localdate(),
        },
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                follow_up_answer(follow_up=follow_up, by=request.user, **form.cleaned_data)
                messages.success(request, gettext("Saved."))
                return redirect(follow_up)
            except ValidationError as exc:
                form.add_error("received_on", exc)
    return render(
        request,
        "core/follow_up_detail.html",
        {
            "follow_up": follow_up,
            "source": follow_up.source,
            "answers": follow_up.answers.select_related("recorded_by"),
            "form": form,
            "can_edit": editable,
            "overdue": follow_up.is_overdue(),
        },
    )
