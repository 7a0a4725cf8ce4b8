import datetime as dt
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Properties, not timings: a slow shared CI machine must not fail a test by hypothesis' clock.
settings.register_profile(
    "yos-audit", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile("yos-audit")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/strategies.py
# The rule tests' outcome checks (met, late, overdue...) assert inside rule_helpers.py: rewrite them as
# pytest rewrites a test module, so a failure shows the values as it did when they lived in the test file.
pytest.register_assert_rewrite("rule_helpers")

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
