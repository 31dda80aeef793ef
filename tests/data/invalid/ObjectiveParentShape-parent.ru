# breaks: a plain objective under a result; not an allowed parent kind (pg:partOf sh:or)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <axis-i/general-objective-n1/specific-objective-1/objective-n1> pg:partOf ?old }
INSERT { <axis-i/general-objective-n1/specific-objective-1/objective-n1> pg:partOf <axis-i/strategic-line-1/result-1> }
WHERE  { <axis-i/general-objective-n1/specific-objective-1/objective-n1> pg:partOf ?old }
