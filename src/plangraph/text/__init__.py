"""Words of plan text: folding, lemmas, stems, stop words and names (shared by the tagger and
the similarity search), and the fidelity rule (a quote stands at its lines)."""
