# breaks: a solution under a problem; not an allowed parent kind (pg:partOf sh:or)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <commitment-1/solution-n1> pg:partOf ?old }
INSERT { <commitment-1/solution-n1> pg:partOf <commitment-1/problem-n1> }
WHERE  { <commitment-1/solution-n1> pg:partOf ?old }
