# breaks: a tagging has a score as xsd:double, not xsd:decimal (pg:score datatype)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>

DELETE { <axis-i/strategic-line-1/result-1/action-1.1/tagging-1> pg:score ?score }
INSERT { <axis-i/strategic-line-1/result-1/action-1.1/tagging-1> pg:score "0.8"^^xsd:double }
WHERE  { <axis-i/strategic-line-1/result-1/action-1.1/tagging-1> pg:score ?score }
