"""URLs of the liaison app (namespace "liaison")."""

from django.urls import path

from . import views

app_name = "liaison"

urlpatterns = [
    *views.rounds.urls("rounds/"),
    path("rounds/<int:pk>/export/", views.round_export, name="reportinground-export"),
    path(
        "rounds/<int:pk>/conclusions/new/",
        views.conclusion_create,
        name="conclusion-create",
    ),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/correct/", views.report_correct, name="report-correct"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report-submit"),
    path("reports/<int:pk>/return/", views.report_return, name="report-return"),
    path("trends/", views.trends, name="trends"),
]
