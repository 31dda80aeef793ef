# breaks: a SWOT strength under a commitment; not an allowed parent kind (pg:partOf sh:or)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <strength-n1> pg:partOf ?old }
INSERT { <strength-n1> pg:partOf <commitment-1> }
WHERE  { <strength-n1> pg:partOf ?old }
