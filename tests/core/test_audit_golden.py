"""Every finding of the audit on the default corpus, by code, notes, passages and documents.

A change in what the audit says about the default corpus is a reviewed change: regenerate the golden
file with ``EXPLORER_REGEN_GOLDEN=1`` and read its diff against the essay before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from explorer.core.audit import run_audit
from explorer.core.loader import load_corpus
from tests.support.corpora import DEFAULT_CORPUS

GOLDEN = Path(__file__).parent / "golden" / "audit_findings.json"


def _rows():
    return [{"code": f.code, "severity": f.severity, "footnotes": list(f.footnotes), "passages": list(f.passages),
             "documents": list(f.documents), "rule": f.rule, "url": f.url}
            # both values of each catalogue difference, as reviewed against the essay
            | ({"differences": f.details["differences"]} if "differences" in f.details else {})
            for f in run_audit(load_corpus(DEFAULT_CORPUS))]


def test_every_finding_of_the_default_corpus():
    rows = _rows()
    if os.environ.get("EXPLORER_REGEN_GOLDEN"):
        GOLDEN.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert rows == json.loads(GOLDEN.read_text(encoding="utf-8"))
