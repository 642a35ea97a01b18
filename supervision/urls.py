"""URLs of the supervision app (namespace "supervision")."""

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.ProgrammeList.as_view(), name="programme-list"),
    path("programmes/new/", views.ProgrammeCreate.as_view(), name="programme-create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme-detail"),
    path("programmes/<int:pk>/edit/", views.ProgrammeUpdate.as_view(), name="programme-update"),
    path("programmes/<int:pk>/delete/", views.ProgrammeDelete.as_view(), name="programme-delete"),
    path(
        "programmes/<int:pk>/history/", views.ProgrammeHistory.as_view(), name="programme-history"
    ),
    path("programmes/<int:pk>/items/new/", views.item_create, name="item-create"),
    path("items/<int:pk>/edit/", views.item_update, name="item-update"),
    path("activities/", views.ActivityList.as_view(), name="activity-list"),
    path("activities/new/", views.ActivityCreate.as_view(), name="activity-create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", views.ActivityUpdate.as_view(), name="activity-update"),
    path("activities/<int:pk>/delete/", views.ActivityDelete.as_view(), name="activity-delete"),
    path("activities/<int:pk>/history/", views.ActivityHistory.as_view(), name="activity-history"),
    path("activities/<int:pk>/members/new/", views.member_create, name="member-create"),
    path("activities/<int:pk>/bodies/new/", views.body_create, name="body-create"),
    path("activities/<int:pk>/visits/new/", views.visit_create, name="visit-create"),
    path(
        "activities/<int:pk>/recommendations/new/",
        views.recommendation_create,
        name="recommendation-create",
    ),
    path("bodies/<int:pk>/report/", views.body_report, name="body-report"),
    path("visits/<int:pk>/", views.visit_detail, name="visit-detail"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone-done"),
    path("recommendations/", views.RecommendationList.as_view(), name="recommendation-list"),
    path("recommendations/overdue/", views.OverdueList.as_view(), name="recommendation-overdue"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
    path(
        "recommendations/<int:pk>/history/",
        views.RecommendationHistory.as_view(),
        name="recommendation-history",
    ),
    path("questioning/", views.QuestioningList.as_view(), name="questioning-list"),
    path("questioning/new/", views.QuestioningCreate.as_view(), name="questioning-create"),
    path("questioning/<int:pk>/", views.questioning_detail, name="questioning-detail"),
    path(
        "questioning/<int:pk>/edit/", views.QuestioningUpdate.as_view(), name="questioning-update"
    ),
    path(
        "questioning/<int:pk>/delete/",
        views.QuestioningDelete.as_view(),
        name="questioning-delete",
    ),
    path(
        "questioning/<int:pk>/history/",
        views.QuestioningHistory.as_view(),
        name="questioning-history",
    ),
    path("questioning/<int:pk>/groups/new/", views.group_create, name="group-create"),
    path("questioning/<int:pk>/questions/new/", views.question_create, name="question-create"),
    path("questioning/<int:pk>/answer/", views.answer_record, name="answer-record"),
    path("questions/<int:pk>/", views.question_detail, name="question-detail"),
    path("questions/<int:pk>/edit/", views.QuestionUpdate.as_view(), name="question-update"),
    path("questions/<int:pk>/history/", views.QuestionHistory.as_view(), name="question-history"),
    path("questions/<int:pk>/commitments/new/", views.commitment_create, name="commitment-create"),
    path("explanations/", views.ExplanationList.as_view(), name="explanation-list"),
    path("explanations/new/", views.ExplanationCreate.as_view(), name="explanation-create"),
    path("explanations/<int:pk>/", views.explanation_detail, name="explanation-detail"),
    path(
        "explanations/<int:pk>/edit/", views.ExplanationUpdate.as_view(), name="explanation-update"
    ),
    path(
        "explanations/<int:pk>/delete/",
        views.ExplanationDelete.as_view(),
        name="explanation-delete",
    ),
    path(
        "explanations/<int:pk>/history/",
        views.ExplanationHistory.as_view(),
        name="explanation-history",
    ),
    path(
        "explanations/<int:pk>/commitments/new/",
        views.explanation_commitment_create,
        name="explanation-commitment-create",
    ),
]
