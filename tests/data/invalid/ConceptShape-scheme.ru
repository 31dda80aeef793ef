# breaks: a concept (role accompanying) belongs to no concept scheme (skos:inScheme minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>

DELETE WHERE { <https://w3id.org/plangraph/vocab/role/accompanying> skos:inScheme ?scheme }
