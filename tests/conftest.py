"""Shared test setup: a non-interactive matplotlib backend, closed figures, slow tests first."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the ``slow`` tests (kernels, Chromium, the wheel) first, in file order.

    Under pytest-xdist (``make test``: ``-n auto --dist loadgroup``) tests go out one at a time
    to whichever worker is free, in this order; starting with the long ones spreads them over
    the workers and leaves the many short tests to fill in at the end, instead of one worker
    finishing a kernel run while the other sits idle.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
