"""The OParl 1.1 API under /api/oparl/v1/ (namespace "oparl"): object URLs are OParl ids."""

from django.urls import path

from . import objects as o
from . import publication
from . import views as v

app_name = "oparl"

# A body's external lists: URL segment, URL name, the kinds listed.
BODY_LISTS = [
    ("organizations", "body-organizations", [o.ORGANIZATION]),
    ("people", "body-people", [o.PERSON]),
    ("memberships", "body-memberships", [o.MEMBERSHIP]),
    ("meetings", "body-meetings", [o.SESSION, o.MEETING]),
    ("agenda-items", "body-agenda-items", [o.AGENDA_ITEM]),
    ("papers", "body-papers", [o.PAPER, o.SUBMISSION]),
    ("consultations", "body-consultations", [o.CONSULTATION, o.SUBMISSION_CONSULTATION]),
    ("files", "body-files", [o.FILE, o.ATTACHMENT]),
    ("legislative-terms", "body-terms", [o.TERM]),
    ("locations", "body-locations", [o.BODY_LOCATION, o.SESSION_LOCATION, o.MEETING_LOCATION]),
]
# Objects: URL prefix and kind (its url_name names the URL).
OBJECTS = [
    ("bodies", o.BODY),
    ("legislative-terms", o.TERM),
    ("organizations", o.ORGANIZATION),
    ("people", o.PERSON),
    ("memberships", o.MEMBERSHIP),
    ("meetings/session", o.SESSION),
    ("meetings/meeting", o.MEETING),
    ("agenda-items", o.AGENDA_ITEM),
    ("papers/resolution", o.PAPER),
    ("papers/submission", o.SUBMISSION),
    ("consultations/resolution", o.CONSULTATION),
    ("consultations/submission", o.SUBMISSION_CONSULTATION),
    ("files/document", o.FILE),
    ("files/attachment", o.ATTACHMENT),
]

urlpatterns = [
    path("", v.system, name="system"),
    path("bodies/", v.bodies, name="body-list"),
    *[
        path(f"bodies/<int:pk>/{segment}/", v.body_list_view(kinds, name), name=name)
        for segment, name, kinds in BODY_LISTS
    ],
    *[
        path(f"{prefix}/<int:pk>/", v.object_view(kind, kind.url_name), name=kind.url_name)
        for prefix, kind in OBJECTS
    ],
    path(
        "bodies/<int:pk>/location/",
        v.object_view(o.BODY_LOCATION, "body-location"),
        name="body-location",
    ),
    path(
        "meetings/session/<int:pk>/location/",
        v.object_view(o.SESSION_LOCATION, "session-location"),
        name="session-location",
    ),
    path(
        "meetings/meeting/<int:pk>/location/",
        v.object_view(o.MEETING_LOCATION, "meeting-location"),
        name="meeting-location",
    ),
    path("files/document/<int:pk>/download/", v.file_download, name="file-download"),
    path("files/attachment/<int:pk>/download/", v.attachment_download, name="attachment-download"),
]

# For each URL with a pk, the public records it answers for (the others are 404 unless they
# were deleted while public): the access matrix checks every URL against it.
PUBLIC_RECORDS = {
    **{name: publication.councils for _segment, name, _kinds in BODY_LISTS},
    **{kind.url_name: kind.queryset for _prefix, kind in OBJECTS},
    "body-location": o.BODY_LOCATION.queryset,
    "session-location": o.SESSION_LOCATION.queryset,
    "meeting-location": o.MEETING_LOCATION.queryset,
    "file-download": publication.documents,
    "attachment-download": publication.attachments,
}
