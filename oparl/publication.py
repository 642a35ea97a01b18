"""What the OParl API publishes: one queryset per record type, public records only.

Every list, object URL and embedded object of the API reads its records through these
functions; nothing else in `oparl/` decides what is public. Councils, their terms, organs,
delegates and memberships are public by nature (the law publishes who sits on a council and in
which organ); the rest follows the records' own publication rules.
"""

from __future__ import annotations

from django.db.models import QuerySet

from councilportal.models import Council, Delegate, GeneratedDocument, Membership, Organ, Term
from resolutions.models import Resolution
from sessions.models import AgendaItem, Session

# The generated documents whose text is the public record itself (the resolution as signed).
PUBLIC_DOCUMENT_KINDS = {"resolutions.resolution": Resolution}


def councils() -> QuerySet[Council]:
    return Council.objects.all()


def terms() -> QuerySet[Term]:
    return Term.objects.all()


def organs() -> QuerySet[Organ]:
    return Organ.objects.all()


def delegates() -> QuerySet[Delegate]:
    return Delegate.objects.all()


def memberships() -> QuerySet[Membership]:
    return Membership.objects.all()


def sessions() -> QuerySet[Session]:
    return Session.objects.filter(is_public=True)


def agenda_items() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(is_public=True, session__in=sessions())


def resolutions() -> QuerySet[Resolution]:
    return Resolution.objects.all()


def documents() -> QuerySet[GeneratedDocument]:
    """Finished, unencrypted PDFs of a public kind whose source record is public."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Resolution)
    return GeneratedDocument.objects.filter(
        kind__in=list(PUBLIC_DOCUMENT_KINDS),
        status="done",
        encrypted=False,
        source_type=ct,
        source_id__in=resolutions().values("pk"),
    )
