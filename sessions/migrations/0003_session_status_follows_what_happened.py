"""Sessions that visibly happened (dates held, attendance, votes or minutes past draft) but
still said "planned" or "convened" move to "in progress", as the services now do."""

from typing import Any

from django.db import migrations
from django.db.models import Q


def forwards(apps: Any, schema_editor: Any) -> None:
    Session = apps.get_model("council_sessions", "Session")
    Sitting = apps.get_model("council_sessions", "Sitting")
    waiting = Session.objects.filter(status__in=["planned", "convened"])
    happened = waiting.filter(
        Q(actual_start__isnull=False)
        | Q(sittings__attendance__isnull=False)
        | Q(items__votes__isnull=False)
        | (Q(minutes__isnull=False) & ~Q(minutes__status="draft"))
    ).distinct()
    for session in happened:
        if session.actual_start is None:
            first = (
                Sitting.objects.filter(session=session)
                .order_by("date")
                .values_list("date", flat=True)
                .first()
            )
            session.actual_start = first or session.planned_start
        session.status = "in_progress"
        session.save(update_fields=["status", "actual_start"])


class Migration(migrations.Migration):
    dependencies = [("council_sessions", "0002_attendance_reason_only_when_excused")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
