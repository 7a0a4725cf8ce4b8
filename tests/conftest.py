import datetime as dt
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/strategies.py

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
