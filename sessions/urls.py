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
    # The paperless session: the secretariat's side.
    path("<int:pk>/reads/", views.read_receipts, name="read-receipts"),
    path("<int:pk>/screen/", views.hall_screen, name="hall-screen"),
    path("<int:pk>/screen/state/", views.hall_screen_state, name="hall-screen-state"),
    path("items/<int:pk>/evotes/new/", views.evote_create, name="evote-create"),
    path("items/<int:pk>/speakers/", views.speaking_queue, name="speaking-queue"),
    path("speakers/<int:pk>/move/", views.speaking_move, name="speaking-move"),
    path("speakers/<int:pk>/spoken/", views.speaking_spoken, name="speaking-spoken"),
    path("evotes/<int:pk>/", views.evote_detail, name="evote-detail"),
    path("evotes/<int:pk>/close/", views.evote_close, name="evote-close"),
    # The paperless session: the delegates' workspace.
    path("delegate/", views.my_sessions, name="my-sessions"),
    path("delegate/sessions/<int:pk>/", views.workspace, name="workspace"),
    path("delegate/documents/<int:pk>/", views.document_read, name="document-read"),
    path("delegate/documents/<int:pk>/file/", views.document_file, name="document-file"),
    path("delegate/items/<int:pk>/speak/", views.speak, name="speak"),
    path("delegate/votes/<int:pk>/", views.ballot, name="ballot"),
    path("delegate/questionings/<int:pk>/", views.question_ask, name="question-ask"),
    path(
        "delegate/questions/<int:pk>/satisfaction/",
        views.question_satisfaction,
        name="question-satisfaction",
    ),
    path("delegate/record/", views.my_record, name="my-record"),
    path("delegate/record/<int:pk>/", views.delegate_record, name="delegate-record"),
]
