"""URLs of the supervision app (namespace "supervision")."""

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    *views.programmes.urls("programmes/", list_route=""),
    path("programmes/<int:pk>/items/new/", views.item_create, name="item-create"),
    path("items/<int:pk>/edit/", views.item_update, name="item-update"),
    *views.activities.urls("activities/"),
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
    *views.recommendations.urls("recommendations/"),
    path(
        "recommendations/overdue/",
        views.overdue_recommendations,
        name="recommendation-overdue",
    ),
    *views.questionings.urls("questioning/"),
    path("questioning/<int:pk>/groups/new/", views.group_create, name="group-create"),
    path("questioning/<int:pk>/questions/new/", views.question_create, name="question-create"),
    path("questioning/<int:pk>/answer/", views.answer_record, name="answer-record"),
    *views.questions.urls("questions/"),
    path("questions/<int:pk>/commitments/new/", views.commitment_create, name="commitment-create"),
    *views.explanations.urls("explanations/"),
    path(
        "explanations/<int:pk>/commitments/new/",
        views.explanation_commitment_create,
        name="explanation-commitment-create",
    ),
]
