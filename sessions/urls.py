"""URLs of the sessions app (namespace "sessions")."""

from django.urls import path

from . import views

app_name = "sessions"

urlpatterns = [
    *views.sessions.urls(""),
    path("calendar/", views.calendar, name="calendar"),
    path("<int:pk>/advance/", views.session_advance, name="session-advance"),
    path("<int:pk>/items/new/", views.item_create, name="item-create"),
    path("<int:pk>/sittings/new/", views.sitting_create, name="sitting-create"),
    path("<int:pk>/confidence/", views.confidence_edit, name="confidence-edit"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path("items/<int:pk>/edit/", views.item_update, name="item-update"),
    path("items/<int:pk>/delete/", views.item_delete, name="item-delete"),
    path("items/<int:pk>/up/", views.item_up, name="item-up"),
    path("items/<int:pk>/down/", views.item_down, name="item-down"),
    path("items/<int:pk>/votes/new/", views.vote_create, name="vote-create"),
    path("sittings/<int:pk>/", views.sitting_attendance, name="sitting-attendance"),
    path("votes/<int:pk>/", views.vote_detail, name="vote-detail"),
    path("votes/<int:pk>/edit/", views.vote_update, name="vote-update"),
    path("confidence/<int:pk>/", views.confidence_detail, name="confidence-detail"),
    *views.meetings.urls("meetings/"),
    path("meetings/<int:pk>/tasks/new/", views.meeting_task_create, name="meeting-task-create"),
    path("minutes/new/", views.minutes_create, name="minutes-create"),
    path("minutes/<int:pk>/<slug:step>/", views.minutes_step, name="minutes-step"),
]
