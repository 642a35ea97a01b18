from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgencyMembership


@admin.register(AgencyMembership)
class AgencyMembershipAdmin(SimpleHistoryAdmin):
    """Who works in which agency (agency users see only the agency workspace)."""

    list_display = ("user", "agency", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "agency__name")
    autocomplete_fields = ("user",)
    raw_id_fields = ("agency",)
