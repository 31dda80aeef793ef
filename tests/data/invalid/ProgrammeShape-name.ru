# breaks: a programme has no name (skos:prefLabel minCount 1)
PREFIX pginst: <https://w3id.org/plangraph/institution/>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>

DELETE WHERE { pginst:gt-fixture-programme skos:prefLabel ?label }
