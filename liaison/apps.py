from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    """Liaison meetings (giao ban): reporting rounds, the councils' reports, conclusions."""

    name = "liaison"
    label = "liaison"
    verbose_name = _("Liaison meetings")
    nav_label = _("Liaison")
    nav_url = "liaison:reportinground-list"
    # The app's own menu (core/_app_nav.html): URL name and label.
    nav = [
        ("liaison:reportinground-list", _("Reporting rounds")),
        ("liaison:trends", _("Rounds side by side")),
    ]
