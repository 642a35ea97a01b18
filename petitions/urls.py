"""URLs of the petitions app (namespace "petitions")."""

from django.urls import path

from . import views

app_name = "petitions"

urlpatterns = [
    path("", views.PetitionList.as_view(), name="petition-list"),
    path("new/", views.petition_create, name="petition-create"),
    path("<int:pk>/", views.petition_detail, name="petition-detail"),
    path("<int:pk>/edit/", views.PetitionUpdate.as_view(), name="petition-update"),
    path("<int:pk>/history/", views.PetitionHistory.as_view(), name="petition-history"),
    path("<int:pk>/identity/", views.petition_identity, name="petition-identity"),
    path("items/<int:pk>/action/", views.item_action, name="item-action"),
    path("items/<int:pk>/unredacted/", views.item_unredacted_copy, name="item-unredacted"),
    path("access-log/", views.access_log, name="access-log"),
    path("statistics/", views.statistics, name="statistics"),
    path("recommendations/", views.RecommendationList.as_view(), name="recommendation-list"),
    path(
        "recommendations/new/",
        views.RecommendationCreate.as_view(),
        name="recommendation-create",
    ),
    path(
        "recommendations/<int:pk>/",
        views.RecommendationDetail.as_view(),
        name="recommendation-detail",
    ),
    path(
        "recommendations/<int:pk>/edit/",
        views.RecommendationUpdate.as_view(),
        name="recommendation-update",
    ),
    path(
        "recommendations/<int:pk>/delete/",
        views.RecommendationDelete.as_view(),
        name="recommendation-delete",
    ),
    path(
        "recommendations/<int:pk>/history/",
        views.RecommendationHistory.as_view(),
        name="recommendation-history",
    ),
    path(
        "voter-sessions/<int:pk>/carry-over/",
        views.session_carry_over,
        name="session-carry-over",
    ),
    path(
        "recommendations/<int:pk>/merge/",
        views.recommendation_merge,
        name="recommendation-merge",
    ),
]

for noun, prefix in [
    ("schedule", "reception-days"),
    ("record", "reception-records"),
    ("votermeeting", "voter-meetings"),
]:
    group = views.REGISTERS[noun]
    urlpatterns += [
        path(f"{prefix}/", group["list"].as_view(), name=f"{noun}-list"),
        path(f"{prefix}/new/", group["create"].as_view(), name=f"{noun}-create"),
        path(f"{prefix}/<int:pk>/", group["detail"].as_view(), name=f"{noun}-detail"),
        path(f"{prefix}/<int:pk>/edit/", group["update"].as_view(), name=f"{noun}-update"),
        path(f"{prefix}/<int:pk>/delete/", group["delete"].as_view(), name=f"{noun}-delete"),
        path(f"{prefix}/<int:pk>/history/", group["history"].as_view(), name=f"{noun}-history"),
    ]
