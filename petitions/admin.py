"""The Django admin of the petitions app. A petitioner's identity never shows here: its fields
are encrypted and have no form field; the petitioner rows show their order only. The identity
access log is read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    IdentityAccessLog,
    Petition,
    Petitioner,
    PetitionItem,
    ReceptionRecord,
    ReceptionSchedule,
    VoterMeeting,
    VoterRecommendation,
)


class PetitionerInline(admin.TabularInline):
    model = Petitioner
    fields = ("position", "is_representative")
    readonly_fields = ("position", "is_representative")
    extra = 0
    can_delete = False


class ItemInline(admin.TabularInline):
    model = PetitionItem
    fields = ("position", "kind", "field", "outcome", "triage_due", "triaged_on")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Petition)
class PetitionAdmin(SimpleHistoryAdmin):
    list_display = ("number", "year", "subject", "council", "received_on", "channel")
    list_filter = ("channel", "year")
    list_select_related = ("council",)
    search_fields = ("subject",)
    readonly_fields = ("duplicate_of", "repeat_count", "created_by")
    inlines = [ItemInline, PetitionerInline]


@admin.register(ReceptionSchedule)
class ReceptionScheduleAdmin(SimpleHistoryAdmin):
    list_display = ("date", "place", "council")
    list_select_related = ("council",)


@admin.register(ReceptionRecord)
class ReceptionRecordAdmin(SimpleHistoryAdmin):
    list_display = ("date", "received_by", "citizens", "council")
    list_select_related = ("council",)


@admin.register(VoterMeeting)
class VoterMeetingAdmin(SimpleHistoryAdmin):
    list_display = ("date", "place", "timing", "council")
    list_select_related = ("council",)


@admin.register(VoterRecommendation)
class VoterRecommendationAdmin(SimpleHistoryAdmin):
    list_display = ("content", "field", "times_raised", "outcome", "council")
    list_select_related = ("council",)
    raw_id_fields = ("follow_up",)


@admin.register(IdentityAccessLog)
class IdentityAccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "petition", "council")
    list_select_related = ("user", "petition", "council")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
