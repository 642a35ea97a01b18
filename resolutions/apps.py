from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    label = "resolutions"
    verbose_name = _("Resolutions")
    nav_label = _("Resolutions")
    nav_url = "resolutions:resolution-list"
    # The app's own menu (core/_app_nav.html): URL name and label.
    nav = [
        ("resolutions:resolution-list", _("Register of resolutions")),
        ("resolutions:submission-list", _("Submissions")),
        ("resolutions:task-overdue", _("Overdue implementation tasks")),
    ]
