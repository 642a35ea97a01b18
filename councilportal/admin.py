"""The Django admin, for administrators: every core model with its history."""

from typing import Any

from django.apps import apps
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from councilportal.calendar_overrides import calendar_override_delete, calendar_override_save
from councilportal.models import (
    Agency,
    CalendarOverride,
    Council,
    Delegate,
    Membership,
    Organ,
    RoleAssignment,
    Term,
)

# The portal's name over the admin, not Django's (14.19).
admin.site.site_header = _("Council Portal administration")
admin.site.site_title = _("Council Portal administration")
admin.site.index_title = _("Administration")

# The sections of django-axes and django-otp in Vietnamese. Their app names are set on their
# configs; their model names only where the admin lists them, since changing their Meta would
# call for migrations in apps that are not ours.
THIRD_PARTY_APPS = {"axes": _("Log-in throttling"), "otp_totp": _("Two-step log-in")}
THIRD_PARTY_MODELS = {
    "AccessAttempt": _("Failed log-in attempts"),
    "AccessFailureLog": _("Failed log-ins"),
    "AccessLog": _("Log-ins"),
    "TOTPDevice": _("Authenticator apps"),
}
for _label, _name in THIRD_PARTY_APPS.items():
    if _label in apps.app_configs:
        apps.get_app_config(_label).verbose_name = _name

_build_app_dict = admin.site._build_app_dict


def _app_dict_in_vietnamese(request: HttpRequest, label: str | None = None) -> Any:
    built = _build_app_dict(request, label)
    for app in [built] if label else (built or {}).values():
        for model in (app or {}).get("models", []):
            model["name"] = THIRD_PARTY_MODELS.get(model["object_name"], model["name"])
    return built


admin.site._build_app_dict = _app_dict_in_vietnamese  # type: ignore[method-assign,assignment]


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level",)
    search_fields = ("name", "code")
    filter_horizontal = ("predecessors",)


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ("name", "council", "start_date", "end_date")
    list_select_related = ("council",)


@admin.register(Organ)
class OrganAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "council", "term")
    list_filter = ("kind",)
    list_select_related = ("council", "term")


@admin.register(Delegate)
class DelegateAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "term", "electoral_unit", "is_full_time", "start_date", "end_date")
    list_select_related = ("term",)
    search_fields = ("full_name",)
    raw_id_fields = ("user",)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("delegate", "position", "organ", "start_date", "end_date")
    list_select_related = ("delegate", "organ")


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "council", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    list_select_related = ("council", "parent")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "council")
    list_filter = ("role",)
    list_select_related = ("user", "council")
    search_fields = ("user__username",)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SimpleHistoryAdmin):
    """Days off the government adds or swaps. Saving one recomputes the open due dates that
    it affects (through the service, so every app's items follow)."""

    list_display = ("date", "kind", "name", "legal_basis")
    list_filter = ("kind",)
    date_hierarchy = "date"

    def save_model(
        self, request: HttpRequest, obj: CalendarOverride, form: Any, change: bool
    ) -> None:
        old_date = form.initial.get("date") if change else None
        moved = calendar_override_save(override=obj, old_date=old_date)
        total = sum(moved.values())
        if total:
            messages.info(
                request,
                ngettext(
                    "%(n)d open due date was recomputed.",
                    "%(n)d open due dates were recomputed.",
                    total,
                )
                % {"n": total},
            )

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        calendar_override_delete(override=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            calendar_override_delete(override=obj)
