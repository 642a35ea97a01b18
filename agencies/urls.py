from django.urls import path

from . import views

app_name = "agencies"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path("items/<int:pk>/slip/", views.item_slip, name="item-slip"),
    path("answers/<int:pk>/file/", views.answer_file, name="answer-file"),
    path("queue/", views.queue, name="queue"),
    path("queue/answers/<int:pk>/", views.answer_decide, name="answer-decide"),
    path("queue/extensions/<int:pk>/", views.extension_decide, name="extension-decide"),
    path("responsiveness/", views.responsiveness, name="responsiveness"),
]
