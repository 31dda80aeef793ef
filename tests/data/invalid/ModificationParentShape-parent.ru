# breaks: a modification under an action; not an allowed parent kind (pg:partOf sh:or)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <commitment-1/milestone-hito-1/modification-n1> pg:partOf ?old }
INSERT { <commitment-1/milestone-hito-1/modification-n1> pg:partOf <axis-i/strategic-line-1/result-1/action-1.1> }
WHERE  { <commitment-1/milestone-hito-1/modification-n1> pg:partOf ?old }
