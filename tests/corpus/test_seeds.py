"""The source documents in seeds/ are the originals, byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings

SEEDS = Path(settings.BASE_DIR) / "seeds"
ORIGINALS = Path(settings.BASE_DIR).parent / "shared" / "seeds"


def test_there_are_five_seeds():
    assert len(list(SEEDS.glob("*.txt"))) == 5


@pytest.mark.skipif(not ORIGINALS.is_dir(), reason="no shared originals here")
@pytest.mark.parametrize("name", sorted(path.name for path in SEEDS.glob("*.txt")))
def test_each_seed_matches_its_original(name):
    ours = hashlib.sha256((SEEDS / name).read_bytes()).hexdigest()
    original = hashlib.sha256((ORIGINALS / name).read_bytes()).hexdigest()
    assert ours == original
