"""plangraph: a knowledge graph and query library over public action plans.

The package is organised as one module per step of the data flow (see docs/architecture.md):
``sourcefile`` → ``records`` → ``loader`` → ``compiler`` → ``validate`` → ``store`` / ``queries``.
Nothing is loaded at import time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from plangraph._version import __version__

if TYPE_CHECKING:
    from plangraph.analysis.api import PlanGraph

__all__ = ["__version__", "open"]


def open(path: Any = None, **options: Any) -> PlanGraph:
    """Open a plangraph dataset: ``plangraph.open()`` (this project, built if stale), a dataset
    file, or ``endpoint=URL``. See :func:`plangraph.analysis.api.open`; the API module loads on
    call."""
    from plangraph.analysis.api import open as open_dataset  # pandas and pyoxigraph load here

    return open_dataset(path, **options)
