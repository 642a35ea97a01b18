"""Filters of the portal's log records (settings.LOGGING)."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answer (a page that does not exist or that the user may not see) is logged as one
    line, path and status, without the traceback Django attaches to it: the code raised Http404
    or PermissionDenied on purpose, so the traceback tells nothing, and formatting it for every
    probe of a public portal costs more than the page itself. Server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
