# breaks: an element (the solution) has two parents, both of an allowed kind (pg:partOf maxCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

INSERT DATA { <commitment-1/solution-n1> pg:partOf pgplan:fixture }
