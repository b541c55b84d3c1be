"""The trigram table of the directory's name contains-filter (name_filter.py), on SQLite."""

from django.db import migrations

TABLE = "organizations_name_trigrams"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    # The SQL is written out here, not imported: a migration must not change with the code.
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
        "sort_ar, sort_en, acronym, tokenize = 'trigram', detail = 'none')"
    )
    schema_editor.execute(
        f"INSERT INTO {TABLE} (rowid, sort_ar, sort_en, acronym) "
        "SELECT id, sort_ar, sort_en, lower(acronym) FROM organizations_organization"
    )
    # The row with key 0 says that the table is complete (name_filter.COMPLETE_MARK).
    schema_editor.execute(
        f"INSERT INTO {TABLE} (rowid, sort_ar, sort_en, acronym) VALUES (0, '', '', '')"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0004_merge_record_and_import_duplicates")]

    operations = [migrations.RunPython(create, drop)]
