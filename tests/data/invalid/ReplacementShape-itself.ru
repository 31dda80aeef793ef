# breaks: a replacement statement says a plan replaces itself (pg:replacingPlan sh:disjoint pg:replacedPlan)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <replaces-1> pg:replacedPlan ?old }
INSERT { <replaces-1> pg:replacedPlan pgplan:fixture }
WHERE  { <replaces-1> pg:replacedPlan ?old }
