"""A benchmark's log-in: the password step skipped and, for a user who must use two-step log-in
(superusers and staff always must), the code step done with a confirmed device, as after typing
its code. Without it a superuser's pages would all be redirects to the two-step set-up."""

from __future__ import annotations

from typing import Any


def log_in(client: Any, user: Any) -> Any:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from councilportal.two_factor import required_for

    client.force_login(user)
    if required_for(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
