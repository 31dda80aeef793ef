"""plangraph: a knowledge graph and query library over public action plans.

The package is organised as one module per step of the data flow (see docs/architecture.md):
``sourcefile`` → ``records`` → ``loader`` → ``compiler`` → ``validate`` → ``store`` / ``queries``.
Nothing is loaded at import time.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("plangraph")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
