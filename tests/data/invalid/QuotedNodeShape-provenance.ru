# breaks: a citation does not point at its source lines (prov:wasDerivedFrom minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX prov:   <http://www.w3.org/ns/prov#>

DELETE WHERE { <citation-1> prov:wasDerivedFrom ?source }
