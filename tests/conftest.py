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


@pytest.hookimpl(trylast=True)  # after pytest-xdist's own hook, which tags xdist_group tests
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the ``slow`` tests (kernels, Chromium, the wheel) first, in file order.

    Under pytest-xdist (``make test``: ``-n auto --dist loadgroup``) tests go out one at a time
    to whichever worker is free, in this order; starting with the long ones spreads them over
    the workers and leaves the many short tests to fill in at the end, instead of one worker
    finishing a kernel run while the other sits idle.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if getattr(config.option, "loadgroup", False):  # set on xdist workers under --dist loadgroup
        _tag_xdist_groups(items)


def _tag_xdist_groups(items: list[pytest.Item]) -> None:
    """Give each ``xdist_group`` test the ``@group`` suffix that keeps its group on one worker.

    pytest-xdist 3.8 appends it by assigning ``item._nodeid``, which pytest 9.2 no longer reads
    (node ids are structured, ``item._id``), so groups are silently ignored and a shared module
    fixture (the squad render) is built on both workers:
    https://github.com/pytest-dev/pytest-xdist/issues/1386. This does the same on the new
    attribute; it does nothing once xdist has tagged the test itself. Remove it with that fix.
    """
    for item in items:
        marks = item.iter_markers("xdist_group")
        groups = sorted(
            {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in marks}
        )
        suffix = "@" + "_".join(groups)
        if groups and not item.nodeid.endswith(suffix):
            from _pytest.nodeid import NodeId  # pytest >= 9.2, where xdist's tag is lost

            item._id = NodeId.parse(item.nodeid + suffix)
