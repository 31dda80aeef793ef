# breaks: a result under the vision; not an allowed parent kind (pg:partOf sh:or)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <axis-i/strategic-line-1/result-1> pg:partOf ?old }
INSERT { <axis-i/strategic-line-1/result-1> pg:partOf <vision-n1> }
WHERE  { <axis-i/strategic-line-1/result-1> pg:partOf ?old }
