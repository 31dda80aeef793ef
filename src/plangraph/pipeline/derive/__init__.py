"""Facts plangraph derives from the curated plans, each with its evidence: tags (themes,
populations, framework objectives) and normalised timeframes."""
