"""The analyst report: one self-contained HTML page over the built graph, and the coordination
maps (:mod:`plangraph.report.exports`).

:func:`write_report` reads ``build/plangraph.nq`` and writes, under ``build/report/``:

- ``index.html``: the report, with its CSS, JavaScript and data inline (no network access, prints);
- ``sources.html``: the plan documents, one anchor per line (``#<file>-L<n>``), which every row
  of the report links to;
- ``figures/*.png`` and ``figures/*.svg``: the static figures (heatmaps, networks, timeline).

Everything in the report is computed from the graph (:mod:`.data`, through
:class:`~plangraph.analysis.api.PlanGraph`) with the named queries of ``queries/``
(``reports/``, ``overlaps/``, ``gaps/``), the near-duplicate search of
:mod:`plangraph.analysis.similarity` and the networks of :mod:`plangraph.report.exports`.
Each section (:mod:`.sections`) prepares the data its Jinja2 template draws
(``templates/``, autoescaped); :mod:`.writer` puts it together. Nothing is specific to the
bundled plans. See docs/report.md for what each section shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from plangraph.project import Project

__all__ = ["write_report"]


def write_report(
    project: Project,
    out_dir: Path | None = None,
    nquads: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write the report of the graph in ``nquads`` (default ``build/plangraph.nq``) to
    ``out_dir`` (default ``build/report``); return the path of ``index.html``."""
    # The writer loads here, not at import: the command line imports plangraph.report.formats
    # at start-up (which runs this file), and importing the writer brings Jinja2 and the
    # analysis API (about 0.4 s); pandas, NetworkX and matplotlib load when the report is written.
    from plangraph.report.writer import write

    return write(project, out_dir, nquads, progress)
