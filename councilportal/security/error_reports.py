"""Error reports without personal data or secrets (issue 9).

Django's error report (the e-mail to ADMINS, the debug page) normally carries the request's
POST and GET values, its files' names, its cookies, every local variable of every frame and the
settings. In a portal holding denouncers' identities (Law on Denunciations 2018, art. 47) and
citizens' petitions, any of those may be personal data: the report keeps the names (which
field, which variable) and drops every value. Settings are cleansed by name (keys, passwords,
tokens) and any URL with credentials (DATABASE_URL, REDIS_URL, the broker) loses them.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from django.utils.regex_helper import _lazy_re_compile
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

# "scheme://user:password@host" -> "scheme://********@host"
_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/@\s]+@", re.IGNORECASE)


class PortalReporterFilter(SafeExceptionReporterFilter):
    """Hides every request value, cookie and local variable, whatever DEBUG says."""

    hidden_settings = _lazy_re_compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|CREDENTIAL|PRIVATE|DSN|HTTP_COOKIE",
        flags=re.IGNORECASE,
    )

    def is_active(self, request: HttpRequest | None) -> bool:
        return True  # a development server may hold a copy of real data too

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        cleansed = super().cleanse_setting(key, value)
        if isinstance(cleansed, str) and "://" in cleansed:
            cleansed = _CREDENTIALS.sub(rf"\g<scheme>{self.cleansed_substitute}@", cleansed)
        return cleansed

    def get_safe_request_meta(self, request: HttpRequest) -> dict[str, Any]:
        meta: dict[str, Any] = super().get_safe_request_meta(request)
        if meta.get("QUERY_STRING"):
            meta["QUERY_STRING"] = self.cleansed_substitute
        for name in ("HTTP_REFERER", "RAW_URI", "REQUEST_URI"):  # URLs with a query string
            if isinstance(meta.get(name), str):
                meta[name] = meta[name].split("?")[0]
        return meta

    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, str]:
        if request is None:
            return {}
        return {name: self.cleansed_substitute for name in request.POST}

    def get_cleansed_multivaluedict(self, request: HttpRequest, multivaluedict: Any) -> Any:
        # request.POST / request.GET met as a frame's variable.
        return {name: self.cleansed_substitute for name in multivaluedict}

    def get_safe_cookies(self, request: HttpRequest) -> dict[str, str]:
        cookies = getattr(request, "COOKIES", None) or {}
        return {name: self.cleansed_substitute for name in cookies}

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]


class PortalExceptionReporter(ExceptionReporter):
    """The query string, its values and the uploaded files' names are dropped too (a search
    for a name, a scan named after its writer)."""

    def get_traceback_data(self) -> dict[str, Any]:
        data: dict[str, Any] = super().get_traceback_data()
        request = self.request
        if request is not None:
            hidden = self.filter.cleansed_substitute
            data["request_GET_items"] = [(name, hidden) for name in request.GET]
            data["request_FILES_items"] = [(name, hidden) for name in request.FILES]
            data["request_insecure_uri"] = data.get("request_insecure_uri", "").split("?")[0]
        return data
