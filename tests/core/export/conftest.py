"""Fixtures for the export tests: the tiny corpus with marks on its citations, and the default corpus."""

from __future__ import annotations

import pytest

from explorer.core.loader import load_corpus
from explorer.core.model import Corpus
from tests.support.corpora import DEFAULT_CORPUS, write_corpus


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return load_corpus(write_corpus(tmp_path_factory.mktemp("export") / "tiny"))


@pytest.fixture(scope="session")
def default_corpus() -> Corpus:
    return load_corpus(DEFAULT_CORPUS)
