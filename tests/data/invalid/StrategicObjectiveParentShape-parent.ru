# breaks: a strategic objective under a commitment (which pgsh:ObjectiveParentShape alone would allow); not an allowed parent kind (pg:partOf sh:or)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <axis-i/general-objective-n1/strategic-objective-1> pg:partOf ?old }
INSERT { <axis-i/general-objective-n1/strategic-objective-1> pg:partOf <commitment-1> }
WHERE  { <axis-i/general-objective-n1/strategic-objective-1> pg:partOf ?old }
