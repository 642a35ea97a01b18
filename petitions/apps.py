from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    label = "petitions"
    verbose_name = _("Petitions and voters")
    nav_label = _("Petitions & voters")
    nav_url = "petitions:petition-list"

    def ready(self) -> None:
        from councilportal.deadlines import register_recomputer

        from .services import triage_due_recompute

        register_recomputer("petitions", triage_due_recompute)
