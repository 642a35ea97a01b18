from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    name = "sessions"
    label = "council_sessions"
    verbose_name = _("Sessions and meetings")
    nav_label = _("Sessions")
    nav_url = "sessions:session-list"
    # The app's own menu (core/_app_nav.html): URL name and label.
    nav = [
        ("sessions:calendar", _("Calendar of sessions and meetings")),
        ("sessions:meeting-list", _("Standing Committee meetings")),
    ]

    def ready(self) -> None:
        from councilportal.follow_ups.services import session_dates_provide

        from .services import session_dates

        # The core counts the sessions a follow-up was carried across from these.
        session_dates_provide(session_dates)
