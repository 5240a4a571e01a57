"""Drafted records: what an import drafts from an essay (:mod:`.records`), and importing a new version of
the essay over a corpus with curated records (:mod:`.reimport`)."""

from explorer.core.drafting.records import (
    DRAFT_FILES,
    Drafts,
    draft_records,
    drafts_yaml,
    record_to_yaml,
    write_drafts,
)

__all__ = ["DRAFT_FILES", "Drafts", "draft_records", "drafts_yaml", "record_to_yaml", "write_drafts"]
