"""The browser tests: every test in this folder is marked ``browser``.

The fixtures live in ``tests/browser/fixtures.py`` (loaded from tests/conftest.py).
"""

import pytest


def pytest_collection_modifyitems(items):
    """Every test in this folder drives the browser (``-m "not browser"`` skips them all).

    A ``pytestmark`` in a conftest marks nothing, so the marker is added here.
    """
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)
