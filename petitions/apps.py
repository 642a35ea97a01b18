from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    label = "petitions"
    verbose_name = _("Petitions and voters")
    nav_label = _("Petitions & voters")
    nav_url = "petitions:petition-list"
    # The app's own menu (core/_app_nav.html): URL name, label, and who sees it when not everyone.
    nav = [
        ("petitions:petition-list", _("Petitions")),
        ("petitions:schedule-list", _("Reception days")),
        ("petitions:record-list", _("Reception records")),
        ("petitions:votermeeting-list", _("Voter-contact meetings")),
        ("petitions:recommendation-list", _("Voters' recommendations")),
        ("petitions:statistics", _("Statistics")),
        (
            "petitions:access-log",
            _("Identity access log"),
            "petitions.access.can_read_access_log",
        ),
    ]

    def ready(self) -> None:
        from councilportal.deadlines import register_recomputer

        from .services import triage_due_recompute

        register_recomputer("petitions", triage_due_recompute)
