# breaks: an element (the target) does not point at its source lines (prov:wasDerivedFrom minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX prov:   <http://www.w3.org/ns/prov#>

DELETE WHERE { <axis-i/strategic-line-1/result-1/product-1.1/target-n1> prov:wasDerivedFrom ?source }
