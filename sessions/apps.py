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
