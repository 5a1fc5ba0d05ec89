"""The GIN index on the search vector, and the indexes the facets and sorts use, on PostgreSQL only
(SQLite has neither tsvector nor GIN; search there matches `search_text`)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS catalogue_entry_vector ON catalogue_searchentry USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS catalogue_entry_published ON catalogue_searchentry (published_at DESC, micro_credential_id DESC)",
]
DROP = [
    "DROP INDEX IF EXISTS catalogue_entry_vector",
    "DROP INDEX IF EXISTS catalogue_entry_published",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
