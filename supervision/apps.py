from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    label = "supervision"
    verbose_name = _("Supervision")
    nav_label = _("Supervision")
    nav_url = "supervision:programme-list"
    # The app's own menu (core/_app_nav.html): URL name and label.
    nav = [
        ("supervision:programme-list", _("Programmes")),
        ("supervision:activity-list", _("Supervision activities")),
        ("supervision:questioning-list", _("Questioning")),
        ("supervision:explanation-list", _("Explanation sessions")),
        ("supervision:recommendation-list", _("Recommendations and commitments")),
        ("supervision:recommendation-overdue", _("Overdue")),
    ]

    def ready(self) -> None:
        from councilportal.deadlines import register_recomputer

        from . import services

        register_recomputer("supervision-milestones", services.milestones_recompute)
