# breaks: the plan status is not one of draft, adopted, updated, unknown (pg:status sh:in)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { pgplan:fixture pg:status ?status }
INSERT { pgplan:fixture pg:status pg:Published }
WHERE  { pgplan:fixture pg:status ?status }
