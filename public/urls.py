"""The public portal, under /cong-khai/ (issue 20): canonical URLs by record id."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import views
from .cache import cached_page
from .sitemaps import SITEMAPS

app_name = "public"


def _sitemap_index(request, **kwargs):  # type: ignore[no-untyped-def]
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="public:sitemap-section")


def _sitemap_section(request, section):  # type: ignore[no-untyped-def]
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


sitemap_index = cached_page(views.public_page(_sitemap_index))
sitemap_section = cached_page(views.public_page(_sitemap_section))

urlpatterns = [
    path("", views.home, name="home"),
    path("tim-kiem/", views.search, name="search"),
    path("ngon-ngu/", views.language, name="language"),
    path("tra-cuu-don/", views.tracking, name="tracking"),
    path("gui-don/da-gui/", views.petition_sent, name="petition-sent"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap-section"),
    path("hdnd/<int:pk>/", views.council_detail, name="council-detail"),
    path("hdnd/<int:pk>/nghi-quyet/", views.resolution_list, name="resolution-list"),
    path("hdnd/<int:pk>/giam-sat/", views.supervision, name="supervision"),
    path("hdnd/<int:pk>/dai-bieu/", views.delegate_list, name="delegate-list"),
    path("hdnd/<int:pk>/chat-van/", views.questioning_list, name="questioning-list"),
    path("hdnd/<int:pk>/tra-loi-kien-nghi/", views.recommendation_list, name="recommendation-list"),
    path("hdnd/<int:pk>/gui-don/", views.petition_create, name="petition-create"),
    path("ky-hop/<int:pk>/", views.session_detail, name="session-detail"),
    path("nghi-quyet/<int:pk>/", views.resolution_detail, name="resolution-detail"),
    path("giam-sat/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("dai-bieu/<int:pk>/", views.delegate_detail, name="delegate-detail"),
    path("chat-van/<int:pk>/", views.questioning_detail, name="questioning-detail"),
    path("tep/<int:pk>/", views.file_download, name="file"),
    path("quan-tri/tep/<int:pk>/cong-khai/", views.attachment_publish, name="attachment-publish"),
    path(
        "quan-tri/don/<int:pk>/cong-bo-tra-loi/",
        views.item_answer_publish,
        name="item-answer-publish",
    ),
]
