from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OparlConfig(AppConfig):
    """The open-data API in the OParl 1.1 standard: public records as JSON, read-only."""

    name = "oparl"
    label = "oparl"
    verbose_name = _("Open data (OParl)")
