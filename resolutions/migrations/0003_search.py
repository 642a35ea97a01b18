"""Accent-insensitive search on PostgreSQL: the unaccent and pg_trgm extensions, an IMMUTABLE
wrapper of unaccent (unaccent itself is only STABLE, so it cannot be indexed) and GIN trigram
indexes on the normalised `search_text` columns, which serve `LIKE '%word%'` filters.
On SQLite nothing is created: the same `search_text__contains` filters scan the table."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE OR REPLACE FUNCTION portal_unaccent(text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$""",
    """CREATE INDEX IF NOT EXISTS resolution_search_trgm
       ON resolutions_resolution USING gin (search_text gin_trgm_ops)""",
    """CREATE INDEX IF NOT EXISTS submission_search_trgm
       ON resolutions_submission USING gin (search_text gin_trgm_ops)""",
]
BACKWARD = [
    "DROP INDEX IF EXISTS submission_search_trgm",
    "DROP INDEX IF EXISTS resolution_search_trgm",
    "DROP FUNCTION IF EXISTS portal_unaccent(text)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("resolutions", "0002_load_rules")]

    operations = [migrations.RunPython(forward, backward)]
