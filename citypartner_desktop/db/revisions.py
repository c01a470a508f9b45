"""The schema revisions this build knows, in a module of their own: the backup's check of a
copy and the schema's upgrade (which takes a backup) both need them."""

from __future__ import annotations

# Every revision this build knows, oldest first; the last is the head. A test checks this
# against the migration scripts, so it cannot drift.
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001_initial", "0002_fts_search", "0003_live_order_indexes", "0004_counts_and_sort_labels",
    "0005_monitoring",
    "0006_import", "0007_fts_prefix", "0008_change_notices", "0009_live_order_nulls_first",
    "0010_bulk_counts", "0011_visit_packs", "0012_privacy",
    "0013_contact_details",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]
