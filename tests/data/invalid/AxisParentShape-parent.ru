# breaks: an axis under a commitment; not an allowed parent kind (pg:partOf sh:or)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <axis-i> pg:partOf ?old }
INSERT { <axis-i> pg:partOf <commitment-1> }
WHERE  { <axis-i> pg:partOf ?old }
