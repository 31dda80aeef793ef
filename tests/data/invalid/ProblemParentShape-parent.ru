# breaks: a problem under an axis; not an allowed parent kind (pg:partOf sh:or)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <commitment-1/problem-n1> pg:partOf ?old }
INSERT { <commitment-1/problem-n1> pg:partOf <axis-i> }
WHERE  { <commitment-1/problem-n1> pg:partOf ?old }
