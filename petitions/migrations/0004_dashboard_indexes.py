"""Indexes for the dashboard's counts: a council's items over a period, and a period's voters'
recommendations through their sessions, both read from the index alone."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0007_activity_reports'),
        ('council_sessions', '0001_initial'),
        ('petitions', '0003_item_council_and_date_for_the_dashboard'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='petitionitem',
            name='petition_council',
            field=models.ForeignKey(db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.council'),
        ),
        migrations.AddIndex(
            model_name='petitionitem',
            index=models.Index(fields=['petition_council', 'petition_received_on'], include=('kind', 'outcome', 'answered_on', 'triage_due', 'follow_up'), name='petition_item_council_idx'),
        ),
        migrations.AddIndex(
            model_name='voterrecommendation',
            index=models.Index(fields=['session'], include=('council', 'merged_into', 'forwarded_on', 'answered_on', 'outcome', 'sessions_open'), name='recommendation_dashboard_idx'),
        ),
    ]
