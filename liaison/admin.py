from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Conclusion, CouncilReport, FigureCorrection, ReportingRound


@admin.register(ReportingRound)
class ReportingRoundAdmin(SimpleHistoryAdmin):
    list_display = ("meeting", "council", "period_start", "period_end", "deadline")
    list_select_related = ("meeting", "council")


@admin.register(CouncilReport)
class CouncilReportAdmin(SimpleHistoryAdmin):
    list_display = ("council", "round", "status", "submitted_at")
    list_select_related = ("council", "round__meeting")


@admin.register(FigureCorrection)
class FigureCorrectionAdmin(SimpleHistoryAdmin):
    list_display = ("report", "key", "computed", "corrected")


@admin.register(Conclusion)
class ConclusionAdmin(SimpleHistoryAdmin):
    list_display = ("round", "text")
