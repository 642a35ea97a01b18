"""What the OParl API publishes: one queryset per record type, public records only.

Every list, object URL and embedded object of the API reads its records through these
functions; nothing else in `oparl/` decides what is public. They apply the records' own
`.public()` rules (the public portal's) and, on top, that the record's council is public: a
record is never shown under a body the API does not show. Terms, organs and memberships have
no flag of their own: they are public by nature (the law publishes who sits on a council and in
which organ) with their council and, for a membership, its delegate.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from councilportal.models import (
    Attachment,
    Council,
    Delegate,
    GeneratedDocument,
    Membership,
    Organ,
    Term,
)
from resolutions.models import Resolution, ResolutionRelation, Submission
from sessions.models import AgendaItem, Meeting, Session

# The generated documents whose text is the public record itself (the resolution as signed).
PUBLIC_DOCUMENT_KINDS = ["resolutions.resolution"]


def councils() -> QuerySet[Council]:
    return Council.objects.public()


def _of_public_councils(qs: QuerySet, lookup: str = "council") -> QuerySet:  # type: ignore[type-arg]
    return qs.filter(**{f"{lookup}__in": councils().values("pk")})


def terms() -> QuerySet[Term]:
    return _of_public_councils(Term.objects.all())


def organs() -> QuerySet[Organ]:
    return _of_public_councils(Organ.objects.all())


def delegates() -> QuerySet[Delegate]:
    return _of_public_councils(Delegate.objects.public(), "term__council")


def memberships() -> QuerySet[Membership]:
    return _of_public_councils(
        Membership.objects.filter(delegate__in=Delegate.objects.public().values("pk")),
        "organ__council",
    )


def sessions() -> QuerySet[Session]:
    return _of_public_councils(Session.objects.public())


def meetings() -> QuerySet[Meeting]:
    """Standing Committee meetings a clerk published."""
    return _of_public_councils(Meeting.objects.public())


def agenda_items() -> QuerySet[AgendaItem]:
    return _of_public_councils(AgendaItem.objects.public(), "session__council")


def resolutions() -> QuerySet[Resolution]:
    return _of_public_councils(Resolution.objects.public())


def relations() -> QuerySet[ResolutionRelation]:
    return ResolutionRelation.objects.public()


def submissions() -> QuerySet[Submission]:
    return _of_public_councils(Submission.objects.public())


def documents() -> QuerySet[GeneratedDocument]:
    """Finished, unencrypted PDFs of a public kind (the resolution's own text) whose source
    resolution is public."""
    return GeneratedDocument.objects.filter(
        kind__in=PUBLIC_DOCUMENT_KINDS,
        status="done",
        encrypted=False,
        source_type=ContentType.objects.get_for_model(Resolution),
        source_id__in=resolutions().values("pk"),
    )


def attachments() -> QuerySet[Attachment]:
    """Files a clerk published on a public record (never an encrypted one)."""
    return _of_public_councils(Attachment.objects.public())
