# breaks: a tagging has a score above 1 (pg:score maxInclusive 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>

DELETE { <axis-i/strategic-line-1/result-1/action-1.1/tagging-1> pg:score ?score }
INSERT { <axis-i/strategic-line-1/result-1/action-1.1/tagging-1> pg:score "1.5"^^xsd:decimal }
WHERE  { <axis-i/strategic-line-1/result-1/action-1.1/tagging-1> pg:score ?score }
