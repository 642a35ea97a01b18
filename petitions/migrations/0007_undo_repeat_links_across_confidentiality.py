"""Undo the repeat links made between a petition with a denunciation item and one without.

Every clerk and leader reads the links of a petition: a named complaint listing a denunciation
as its repeat ("Đơn gửi lặp lại: … — Tố cáo…", counted twice), or a denunciation pointing to a
named complaint, tells who denounced (Law on Denunciations 2018, art. 47). Intake now refuses
such a link (`petitions.services.petition_receive`); this removes those already made and
recounts the series they were counted in. Not reversible: nothing says which links they were.
"""

from django.db import migrations


def undo(apps, schema_editor):
    Petition = apps.get_model("petitions", "Petition")
    PetitionItem = apps.get_model("petitions", "PetitionItem")
    confidential = set(
        PetitionItem.objects.filter(kind="denunciation").values_list("petition_id", flat=True)
    )
    firsts = set()
    for pk, first_id in Petition.objects.filter(duplicate_of__isnull=False).values_list(
        "pk", "duplicate_of_id"
    ):
        if (pk in confidential) != (first_id in confidential):
            Petition.objects.filter(pk=pk).update(duplicate_of=None)
            firsts.add(first_id)
    for first_id in firsts:
        count = Petition.objects.filter(duplicate_of_id=first_id).count() + 1
        Petition.objects.filter(pk=first_id).update(repeat_count=count)


class Migration(migrations.Migration):
    dependencies = [("petitions", "0006_identity_access_refusals_and_downloads")]
    operations = [migrations.RunPython(undo, migrations.RunPython.noop)]
