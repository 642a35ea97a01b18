"""A follow-up's page, where its answer is recorded."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from councilportal.access import get_for_user
from councilportal.follow_ups import forms
from councilportal.follow_ups.services import follow_up_answer
from councilportal.models import FollowUp
from councilportal.typing import AuthenticatedHttpRequest


@login_required
def follow_up_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A follow-up with its answers; those who may write record a new answer and the status."""
    related = ("council", "to_agency", "to_council", "to_organ", "source_type")
    follow_up = get_for_user(FollowUp.objects.select_related(*related), request.user, pk)
    can_edit = FollowUp.objects.editable_by(request.user).filter(pk=follow_up.pk).exists()
    form = forms.FollowUpAnswerForm(
        request.POST or None,
        initial={
            "status": follow_up.status,
            "progress": follow_up.progress,
            "received_on": timezone.localdate(),
        },
    )
    if request.method == "POST":
        if not can_edit:
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
            "can_edit": can_edit,
            "overdue": follow_up.is_overdue(),
        },
    )


follow_up_detail.model = FollowUp  # type: ignore[attr-defined]
