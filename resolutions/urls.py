"""URLs of the resolutions app (namespace "resolutions")."""

from django.urls import path

from . import views

app_name = "resolutions"

urlpatterns = [
    *views.resolutions.urls(""),
    path("tasks/overdue/", views.overdue_tasks, name="task-overdue"),
    path("<int:pk>/relations/new/", views.relation_add, name="relation-create"),
    path("<int:pk>/tasks/new/", views.task_add, name="task-create"),
    path("relations/<int:pk>/delete/", views.relation_delete, name="relation-delete"),
    *views.submissions.urls("submissions/"),
    path("submissions/<int:pk>/verify/", views.submission_verify, name="submission-verify"),
    path("submissions/<int:pk>/report/", views.submission_report, name="submission-report"),
    path("submissions/<int:pk>/agenda/", views.submission_agenda, name="submission-agenda"),
    path("submissions/<int:pk>/adopt/", views.submission_adopt, name="submission-adopt"),
    path("submissions/<int:pk>/reject/", views.submission_reject, name="submission-reject"),
    path("submissions/<int:pk>/withdraw/", views.submission_withdraw, name="submission-withdraw"),
]
