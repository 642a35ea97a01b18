"""The minutes' PDFs are made from the Minutes record, not from the session (or meeting): point
the documents of the two minutes kinds at their Minutes, making the record where a document was
printed before any step created it, so every existing version stays reachable."""

from django.db import migrations

# The kind keys as they were when this migration was written (sessions/documents.py).
KINDS = {"sessions.minutes": "session", "sessions.meeting-minutes": "meeting"}


def _types(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    minutes_type, _ = ContentType.objects.get_or_create(
        app_label="council_sessions", model="minutes"
    )
    subject_types = {
        field: ContentType.objects.get_or_create(app_label="council_sessions", model=field)[0]
        for field in KINDS.values()
    }
    return minutes_type, subject_types


def to_minutes(apps, schema_editor):
    GeneratedDocument = apps.get_model("core", "GeneratedDocument")
    Minutes = apps.get_model("council_sessions", "Minutes")
    minutes_type, subject_types = _types(apps)
    for kind, field in KINDS.items():
        subject_type = subject_types[field]
        Subject = apps.get_model("council_sessions", field)
        documents = GeneratedDocument.objects.filter(kind=kind, source_type=subject_type)
        for subject_id in documents.values_list("source_id", flat=True).distinct():
            subject = Subject.objects.filter(pk=subject_id).first()
            if subject is None:
                continue  # its documents already point at nothing
            minutes, _ = Minutes.objects.get_or_create(
                **{field: subject}, defaults={"council_id": subject.council_id}
            )
            documents.filter(source_id=subject_id).update(
                source_type=minutes_type, source_id=minutes.pk
            )


def to_subjects(apps, schema_editor):
    GeneratedDocument = apps.get_model("core", "GeneratedDocument")
    Minutes = apps.get_model("council_sessions", "Minutes")
    minutes_type, subject_types = _types(apps)
    for kind, field in KINDS.items():
        documents = GeneratedDocument.objects.filter(kind=kind, source_type=minutes_type)
        for minutes_id in documents.values_list("source_id", flat=True).distinct():
            minutes = Minutes.objects.filter(pk=minutes_id).first()
            subject_id = getattr(minutes, f"{field}_id", None) if minutes else None
            if subject_id is None:
                continue
            documents.filter(source_id=minutes_id).update(
                source_type=subject_types[field], source_id=subject_id
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0011_merge_files_at_rest_and_codes"),
        ("council_sessions", "0005_session_planned_start_index"),
    ]

    operations = [migrations.RunPython(to_minutes, to_subjects)]
