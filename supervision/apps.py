from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    label = "supervision"
    verbose_name = _("Supervision")
    nav_label = _("Supervision")
    nav_url = "supervision:programme-list"

    def ready(self) -> None:
        from councilportal.deadlines import register_recomputer

        from . import services

        register_recomputer("supervision-milestones", services.milestones_recompute)
