"""URL configuration: the core's registers, the four domain apps, auth, i18n and admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from councilportal.councils import views as councils
from councilportal.dashboard import views as dashboard
from councilportal.documents import views as documents
from councilportal.follow_ups import views as follow_ups
from councilportal.notifications import views as notifications
from councilportal.security import two_factor
from councilportal.spreadsheets import views as spreadsheets
from councilportal.web import views as web

core_patterns = [
    path("search/", web.search, name="search"),
    path("follow-ups/<int:pk>/", follow_ups.follow_up_detail, name="follow-up-detail"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("reports/new/", dashboard.report_create, name="report-create"),
    path("reports/<int:pk>/", dashboard.report_detail, name="report-detail"),
    path("imports/", spreadsheets.import_start, name="import"),
    path("imports/confirm/", spreadsheets.import_confirm, name="import-confirm"),
    path("imports/template/", spreadsheets.import_template, name="import-template"),
    path("notifications/", notifications.notification_list, name="notification-list"),
    path("notifications/read/", notifications.notification_read, name="notification-read"),
    path("documents/new/", documents.document_create, name="document-create"),
    path("documents/<int:pk>/", documents.document_detail, name="document-detail"),
    path(
        "documents/<int:pk>/download/",
        documents.document_download,
        name="document-download",
    ),
    path("documents/<int:pk>/retry/", documents.document_retry_view, name="document-retry"),
    path("attachments/new/", documents.attachment_create, name="attachment-create"),
    path(
        "attachments/<int:pk>/",
        documents.attachment_download,
        name="attachment-download",
    ),
    *councils.councils.urls("councils/"),
    *councils.terms.urls("terms/"),
    *councils.organs.urls("organs/"),
    *councils.delegates.urls("delegates/"),
    *councils.memberships.urls("memberships/"),
    *councils.agencies.urls("agencies/"),
]
urlpatterns = [
    path("", web.home, name="home"),
    path("", include((core_patterns, "core"))),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-step/", two_factor.two_factor_setup, name="two-factor"),
    path("account/two-step/verify/", two_factor.two_factor_verify, name="two-factor-verify"),
    # The one-time link of a user created by an import (passwords are never in a file).
    path(
        "password/set/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_set.html", success_url=reverse_lazy("login")
        ),
        name="password-set",
    ),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("sessions/", include("sessions.urls")),
    path("resolutions/", include("resolutions.urls")),
    path("supervision/", include("supervision.urls")),
    path("petitions/", include("petitions.urls")),
    path("liaison/", include("liaison.urls")),
    path("agency/", include("agencies.urls")),
    path("cong-khai/", include("public.urls")),
    path("api/oparl/v1/", include("oparl.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
