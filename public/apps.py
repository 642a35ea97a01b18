from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public portal (cổng thông tin công khai): what citizens read without logging in, the
    online petition form and its tracking page (issue 20)."""

    name = "public"
    label = "public"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from .cache import connect_invalidation

        connect_invalidation()
