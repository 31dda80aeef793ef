# breaks: an element (axis I) does not say which plan it belongs to (pg:inPlan minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE WHERE { <axis-i> pg:inPlan ?plan }
