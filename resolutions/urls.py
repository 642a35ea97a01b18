"""URLs of the resolutions app (namespace "resolutions")."""

from django.urls import path

from . import views

app_name = "resolutions"

urlpatterns = [
    path("", views.ResolutionList.as_view(), name="resolution-list"),
    path("new/", views.ResolutionCreate.as_view(), name="resolution-create"),
    path("tasks/overdue/", views.overdue_tasks, name="task-overdue"),
    path("<int:pk>/", views.resolution_detail, name="resolution-detail"),
    path("<int:pk>/edit/", views.ResolutionUpdate.as_view(), name="resolution-update"),
    path("<int:pk>/delete/", views.ResolutionDelete.as_view(), name="resolution-delete"),
    path("<int:pk>/history/", views.ResolutionHistory.as_view(), name="resolution-history"),
    path("<int:pk>/relations/new/", views.relation_add, name="relation-create"),
    path("<int:pk>/tasks/new/", views.task_add, name="task-create"),
    path("relations/<int:pk>/delete/", views.relation_delete, name="relation-delete"),
    path("submissions/", views.SubmissionList.as_view(), name="submission-list"),
    path("submissions/new/", views.SubmissionCreate.as_view(), name="submission-create"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission-detail"),
    path("submissions/<int:pk>/edit/", views.SubmissionUpdate.as_view(), name="submission-update"),
    path(
        "submissions/<int:pk>/history/",
        views.SubmissionHistory.as_view(),
        name="submission-history",
    ),
    path("submissions/<int:pk>/verify/", views.submission_verify, name="submission-verify"),
    path("submissions/<int:pk>/report/", views.submission_report, name="submission-report"),
    path("submissions/<int:pk>/agenda/", views.submission_agenda, name="submission-agenda"),
    path("submissions/<int:pk>/adopt/", views.submission_adopt, name="submission-adopt"),
    path("submissions/<int:pk>/reject/", views.submission_reject, name="submission-reject"),
    path("submissions/<int:pk>/withdraw/", views.submission_withdraw, name="submission-withdraw"),
]
