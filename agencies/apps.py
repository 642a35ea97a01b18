from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    label = "agencies"
    verbose_name = _("Agency workspace")
    nav_label = _("Agency answers")
    nav_url = "agencies:queue"
    # Reached from the "Registers" menu and the dashboard, not from the top bar (already full).
    nav_top = False
    # The app's own menu (core/_app_nav.html): URL name and label (the council's side; agency
    # users have a workspace of their own and never see this menu).
    nav = [
        ("agencies:queue", _("Answers from agencies")),
        ("agencies:responsiveness", _("Agency responsiveness")),
    ]

    def ready(self) -> None:
        from councilportal.follow_ups.services import on_follow_up_opened

        from . import services

        on_follow_up_opened(services.follow_up_opened_notify)
