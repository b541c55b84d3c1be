"""PostgreSQL only: the full-text column and the indexes the postgres search backend uses.
(pg_trgm is a trusted extension: a database owner may create it.)"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_indexeddocument ADD COLUMN document tsvector",
    "CREATE INDEX search_document_fts ON search_indexeddocument USING gin (document)",
    "CREATE INDEX search_document_trgm ON search_indexeddocument USING gin (words gin_trgm_ops)",
    "CREATE INDEX search_document_exact ON search_indexeddocument USING gin (exact)",
    "CREATE INDEX search_document_owners ON search_indexeddocument USING gin (owners)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_document_owners",
    "DROP INDEX IF EXISTS search_document_exact",
    "DROP INDEX IF EXISTS search_document_trgm",
    "DROP INDEX IF EXISTS search_document_fts",
    "ALTER TABLE search_indexeddocument DROP COLUMN IF EXISTS document",
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
