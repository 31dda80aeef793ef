"""Asking the graph: the query catalogue, backends (embedded store or endpoint), the Python API
(:class:`~plangraph.analysis.api.PlanGraph`), similarity, networks, metrics and stats."""
