"""Settings for the hostile-input tests: a fast Hypothesis profile, offscreen noise ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

#: The property tests' profile: enough examples to find the shapes that break
#: a parser, few enough for ``make test``. No deadline: the first examples pay
#: for imports and regex compilation. ``EXPLORER_HYPOTHESIS_PROFILE=hostile-thorough``
#: runs 25 times as many (a few minutes), for a nightly job or after changing a parser.
settings.register_profile("hostile", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("hostile-thorough", settings.get_profile("hostile"), max_examples=5000)

# The offscreen platform says these whenever a top-level window's size limits
# change or a tooltip is raised; they are about the platform, not the app.
OFFSCREEN_NOISE = ("This plugin does not support propagateSizeHints", "This plugin does not support raise")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE))
