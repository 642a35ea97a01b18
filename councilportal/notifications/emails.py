"""The one e-mail helper: templates/emails/<name>-subject.txt, -body.txt and -body.html."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string


def send_email(name: str, to: Iterable[str], context: dict[str, Any]) -> bool:
    """Send one templated e-mail; returns False (sending nothing) when there is no address."""
    recipients = [address for address in to if address]
    if not recipients:
        return False
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    text = render_to_string(f"emails/{name}-body.txt", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, recipients)
    with contextlib.suppress(TemplateDoesNotExist):
        message.attach_alternative(
            render_to_string(f"emails/{name}-body.html", context), "text/html"
        )
    message.send()
    return True
