from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    name = "sessions"
    label = "council_sessions"
    verbose_name = _("Sessions and meetings")
    nav_label = _("Sessions")
    nav_url = "sessions:session-list"
