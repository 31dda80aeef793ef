"""Named SPARQL queries shipped with plangraph (package data: ``**/*.rq``).

Each ``.rq`` file has a header (``# title:``, ``# description:``, ``# param:``, ``# columns:``);
see :mod:`plangraph.analysis.catalogue`. ``qc/*-violation.rq`` must return no rows.
"""
