"""Checking the graph and the analysis: SHACL, OWL consistency, QC queries, and the evaluation
of the tagger against the hand-labelled gold standard."""
