# breaks: the plan has no primary source document (prov:hadPrimarySource minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX prov:   <http://www.w3.org/ns/prov#>

DELETE WHERE { pgplan:fixture prov:hadPrimarySource ?source }
