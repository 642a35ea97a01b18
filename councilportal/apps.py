from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared core: councils, people, roles, access, audit, documents."""

    name = "councilportal"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .registry import autodiscover

        autodiscover()
