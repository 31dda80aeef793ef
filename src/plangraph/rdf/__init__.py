"""RDF plumbing every layer shares: namespaces and IRIs, the one term conversion, the one
store loader, SPARQL text safety and escaping, deterministic serialisations, atomic writes."""
