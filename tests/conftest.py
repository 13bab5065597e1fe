"""Shared fixtures: the extractor (spaCy loads once per test session) and a store built from seeds/."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def extractor():
    from kg.extract import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory) -> Path:
    """A store built from the two seed articles, shared by read-only tests."""
    from kg.build import build_paths

    path = tmp_path_factory.mktemp("seeds") / "store"
    report = build_paths(str(path), [str(SEEDS)])
    assert report.built == 2 and not report.failed
    return path
