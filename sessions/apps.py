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
        # For everyone (a check of the user's delegacy would cost every page a query): the page
        # tells an account not linked to a delegate whom to ask.
        ("sessions:my-sessions", _("My sessions (delegate)")),
    ]

    def ready(self) -> None:
        from councilportal.dashboard.board import last_liaison_provide
        from councilportal.follow_ups.services import session_dates_provide

        from .services import last_liaison_day, session_dates

        # What the core reads from this app, declared here so that the core imports no app:
        # the sessions a follow-up was carried across, and the dashboard's period "since the
        # last liaison meeting".
        session_dates_provide(session_dates)
        last_liaison_provide(last_liaison_day)
