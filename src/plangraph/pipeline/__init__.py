"""From plan files to the built graph: YAML with lines, typed records, the loader and its
checks, vocabularies and frameworks, element IRIs, the compiler, the derived graph
(:mod:`plangraph.pipeline.derive`), the build and its freshness; the importer drafts plan files."""
