# breaks: a replacement statement names two replaced plans (pg:replacedPlan maxCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

INSERT DATA { <replaces-1> pg:replacedPlan pgplan:fixture-older }
