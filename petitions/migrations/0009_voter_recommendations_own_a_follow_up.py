"""Voters' recommendations own a core follow-up (issue 16): forwarding one opens its
`FollowUp`, the agency's answer is a `FollowUpAnswer`, and "carried over" is computed from the
follow-up and the council's sessions (`follow_ups.services.sessions_across`) instead of a stored
counter. The forwarded and answered recommendations get their follow-up and answer from their
old fields (the due date: the opening of the council's next regular session after the
forwarding, else the end of that year, as `petitions.services.recommendation_due` sets it);
then the old fields go. Reversible: going back writes the old fields from the follow-ups."""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models

REGULAR = ["regular_mid", "regular_end"]
# The outcome's status of the follow-up (`petitions.services.OUTCOME_STATUS`).
STATUS = {
    "open": "open",
    "in_progress": "partly_done",
    "not_resolved": "open",
    "resolved": "done",
    "explained": "done",
}


def _due(Session, council_id, on):
    following = (
        Session.objects.filter(council_id=council_id, kind__in=REGULAR, planned_start__gt=on)
        .select_related("term")
        .order_by("planned_start", "pk")
        .first()
    )
    if following is not None:
        opening = following.actual_start or following.planned_start
        if opening >= on:
            name = f"Kỳ họp thứ {following.ordinal}, {following.term.name}"
            return opening, (
                f"Báo cáo tại kỳ họp thường lệ tiếp theo, {name}, khai mạc ngày {opening:%d/%m/%Y}"
            )
    return dt.date(on.year, 12, 31), "Đến cuối năm: chưa có kỳ họp thường lệ tiếp theo"


def forward(apps, schema_editor):
    VoterRecommendation = apps.get_model("petitions", "VoterRecommendation")
    FollowUp = apps.get_model("core", "FollowUp")
    FollowUpAnswer = apps.get_model("core", "FollowUpAnswer")
    Session = apps.get_model("council_sessions", "Session")
    ContentType = apps.get_model("contenttypes", "ContentType")
    owner, _created = ContentType.objects.get_or_create(
        app_label="petitions", model="voterrecommendation"
    )
    rows = VoterRecommendation.objects.filter(forwarded_on__isnull=False).order_by("pk")
    for rec in rows.iterator(chunk_size=2000):
        due, explanation = _due(Session, rec.council_id, rec.forwarded_on)
        status = STATUS.get(rec.outcome, "open")
        done = status == "done"
        closed = (rec.answered_on or rec.forwarded_on) if done else None
        follow_up = FollowUp.objects.create(
            council_id=rec.council_id,
            source_type=owner,
            source_id=rec.pk,
            content=rec.content,
            # An addressee is required: the agency, else the competent committee, else the
            # council itself (forwarding without an agency was allowed before).
            to_agency_id=rec.agency_id,
            to_organ_id=None if rec.agency_id else rec.committee_id,
            to_council_id=None if rec.agency_id or rec.committee_id else rec.council_id,
            sent_on=rec.forwarded_on,
            due_date=due,
            due_explanation=explanation[:300],
            status=status,
            progress=100 if done else 0,
            closed_on=closed,
        )
        if rec.answered_on or rec.answer_reference or rec.answer_summary:
            FollowUpAnswer.objects.create(
                follow_up=follow_up,
                received_on=rec.answered_on or rec.forwarded_on,
                content=rec.answer_summary,
                reference=rec.answer_reference,
                progress=100 if done else 0,
            )
        VoterRecommendation.objects.filter(pk=rec.pk).update(follow_up=follow_up)
    # The rows written are checked now, before the table is altered below (PostgreSQL refuses
    # to alter a table with deferred checks pending).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def backward(apps, schema_editor):
    VoterRecommendation = apps.get_model("petitions", "VoterRecommendation")
    FollowUp = apps.get_model("core", "FollowUp")
    rows = VoterRecommendation.objects.filter(follow_up__isnull=False).select_related("follow_up")
    for rec in rows.iterator(chunk_size=2000):
        follow_up = rec.follow_up
        answer = follow_up.answers.order_by("-received_on", "-pk").first()
        VoterRecommendation.objects.filter(pk=rec.pk).update(
            forwarded_on=follow_up.sent_on,
            answered_on=answer.received_on if answer else None,
            answer_reference=answer.reference if answer else "",
            answer_summary=answer.content if answer else "",
            follow_up=None,
        )
        FollowUp.objects.filter(pk=follow_up.pk).delete()
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0011_merge_files_at_rest_and_codes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("council_sessions", "0006_minutes_documents_from_minutes"),
        ("petitions", "0008_recommendation_list_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalvoterrecommendation",
            name="follow_up",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="core.followup",
                verbose_name="follow-up",
            ),
        ),
        migrations.AddField(
            model_name="voterrecommendation",
            name="follow_up",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="voter_recommendation",
                to="core.followup",
                verbose_name="follow-up",
            ),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveConstraint(
            model_name="voterrecommendation",
            name="recommendation_answer_after_forwarding",
        ),
        migrations.RemoveConstraint(
            model_name="voterrecommendation",
            name="recommendation_answer_not_before_forwarding",
        ),
        migrations.RemoveIndex(
            model_name="voterrecommendation",
            name="recommendation_dashboard_idx",
        ),
        migrations.RemoveField(
            model_name="historicalvoterrecommendation",
            name="answer_reference",
        ),
        migrations.RemoveField(
            model_name="historicalvoterrecommendation",
            name="answer_summary",
        ),
        migrations.RemoveField(
            model_name="historicalvoterrecommendation",
            name="answered_on",
        ),
        migrations.RemoveField(
            model_name="historicalvoterrecommendation",
            name="forwarded_on",
        ),
        migrations.RemoveField(
            model_name="historicalvoterrecommendation",
            name="sessions_open",
        ),
        migrations.RemoveField(
            model_name="voterrecommendation",
            name="answer_reference",
        ),
        migrations.RemoveField(
            model_name="voterrecommendation",
            name="answer_summary",
        ),
        migrations.RemoveField(
            model_name="voterrecommendation",
            name="answered_on",
        ),
        migrations.RemoveField(
            model_name="voterrecommendation",
            name="forwarded_on",
        ),
        migrations.RemoveField(
            model_name="voterrecommendation",
            name="sessions_open",
        ),
        migrations.AddIndex(
            model_name="voterrecommendation",
            index=models.Index(
                fields=["session"],
                include=("council", "merged_into", "follow_up", "outcome"),
                name="recommendation_dashboard_idx",
            ),
        ),
    ]
