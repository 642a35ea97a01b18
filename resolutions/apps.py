from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    label = "resolutions"
    verbose_name = _("Resolutions")
    nav_label = _("Resolutions")
    nav_url = "resolutions:resolution-list"
