"""The portal's URLs plus one view that fails after reading a POST: the error-report tests need
a server error, and the portal's own views answer a missing file or bad input with 4xx."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from councilportal.urls import urlpatterns as portal_patterns


@login_required
def failing_upload(request: HttpRequest) -> HttpResponse:
    fields = sorted(request.POST) + sorted(request.FILES)  # the request was read
    raise FileNotFoundError(f"stored file missing while handling {len(fields)} fields")


urlpatterns = [path("failing-upload/", failing_upload, name="failing-upload"), *portal_patterns]
