# breaks: a replacement statement names no replacing plan (pg:replacingPlan minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>

DELETE WHERE { <replaces-1> pg:replacingPlan ?plan }
