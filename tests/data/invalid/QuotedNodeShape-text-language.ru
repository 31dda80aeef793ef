# breaks: an indicator has a text without language tag (pg:text datatype rdf:langString)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <axis-i/strategic-line-1/result-1/action-1.1/indicator-1> pg:text ?text }
INSERT { <axis-i/strategic-line-1/result-1/action-1.1/indicator-1> pg:text "Número de campañas realizadas" }
WHERE  { <axis-i/strategic-line-1/result-1/action-1.1/indicator-1> pg:text ?text }
