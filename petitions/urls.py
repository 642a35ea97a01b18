"""URLs of the petitions app (namespace "petitions")."""

from django.urls import path

from . import views

app_name = "petitions"

urlpatterns = [
    *views.petitions.urls(""),
    path("<int:pk>/identity/", views.petition_identity, name="petition-identity"),
    path("items/<int:pk>/action/", views.item_action, name="item-action"),
    path("items/<int:pk>/unredacted/", views.item_unredacted_copy, name="item-unredacted"),
    path("access-log/", views.access_log, name="access-log"),
    path("statistics/", views.statistics, name="statistics"),
    *views.recommendations.urls("recommendations/"),
    path(
        "recommendations/<int:pk>/merge/",
        views.recommendation_merge,
        name="recommendation-merge",
    ),
    *views.schedules.urls("reception-days/"),
    *views.records.urls("reception-records/"),
    *views.voter_meetings.urls("voter-meetings/"),
]
