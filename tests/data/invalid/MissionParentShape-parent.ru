# breaks: the mission under an axis; not an allowed parent kind (pg:partOf sh:or)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <mission-n1> pg:partOf ?old }
INSERT { <mission-n1> pg:partOf <axis-i> }
WHERE  { <mission-n1> pg:partOf ?old }
