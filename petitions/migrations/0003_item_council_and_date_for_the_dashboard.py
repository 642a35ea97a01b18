"""Copy each petition's council and date received onto its items (issue 8: the dashboard
counts a period's items by council without joining petitions), and index both tables for the
dashboard's counts."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_from_petitions(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE petitions_petitionitem AS item"
                " SET petition_council_id = petition.council_id,"
                " petition_received_on = petition.received_on"
                " FROM petitions_petition AS petition WHERE petition.id = item.petition_id"
            )
        return
    Petition = apps.get_model("petitions", "Petition")
    PetitionItem = apps.get_model("petitions", "PetitionItem")
    of_petition = Petition.objects.filter(pk=models.OuterRef("petition_id"))
    PetitionItem.objects.update(
        petition_council_id=models.Subquery(of_petition.values("council_id")[:1]),
        petition_received_on=models.Subquery(of_petition.values("received_on")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_activity_reports"),
        ("petitions", "0002_load_petition_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="petitionitem",
            name="petition_council",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.council",
            ),
        ),
        migrations.AddField(
            model_name="petitionitem",
            name="petition_received_on",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.RunPython(copy_from_petitions, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(
                fields=["received_on", "council"], name="petition_received_council_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="petitionitem",
            index=models.Index(
                fields=["petition_received_on"],
                include=(
                    "petition_council",
                    "kind",
                    "outcome",
                    "answered_on",
                    "triage_due",
                    "follow_up",
                ),
                name="petition_item_dashboard_idx",
            ),
        ),
    ]
