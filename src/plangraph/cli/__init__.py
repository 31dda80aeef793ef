"""The command line: a small group (:mod:`plangraph.cli.main`) and one module of commands per
area, all over the Python API."""
