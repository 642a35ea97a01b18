"""The user's notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from councilportal.typing import AuthenticatedHttpRequest


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's own notifications, newest first; unread ones stand out."""
    from django.core.paginator import Paginator

    from councilportal.models import Notification

    qs = Notification.objects.visible_to(request.user).select_related("council")
    if request.GET.get("unread"):
        qs = qs.unread()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page_obj": page})


@login_required
def notification_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark one notification (`id`) or all of them read, then follow its link if asked."""
    from django.http import HttpResponseNotAllowed
    from django.utils.http import url_has_allowed_host_and_scheme

    from councilportal.models import Notification
    from councilportal.notifications.services import notifications_mark_read

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    raw = request.POST.get("id", "")
    ids = [int(raw)] if raw.isdigit() else None
    notifications_mark_read(user=request.user, ids=ids)
    target = ""
    if ids:
        found = Notification.objects.visible_to(request.user).filter(pk=ids[0]).first()
        target = found.link if found else ""
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse("core:notification-list")
    return redirect(target)
