# breaks: an institution (the ministry) has no name (skos:prefLabel minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX pginst: <https://w3id.org/plangraph/institution/>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>

DELETE WHERE { pginst:gt-fixture-ministry skos:prefLabel ?label }
