# breaks: the vision under an axis; not an allowed parent kind (pg:partOf sh:or)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <vision-n1> pg:partOf ?old }
INSERT { <vision-n1> pg:partOf <axis-i> }
WHERE  { <vision-n1> pg:partOf ?old }
