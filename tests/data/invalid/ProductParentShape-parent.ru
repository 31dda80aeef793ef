# breaks: a product under a commitment; not an allowed parent kind (pg:partOf sh:or)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <axis-i/strategic-line-1/result-1/product-1.1> pg:partOf ?old }
INSERT { <axis-i/strategic-line-1/result-1/product-1.1> pg:partOf <commitment-1> }
WHERE  { <axis-i/strategic-line-1/result-1/product-1.1> pg:partOf ?old }
