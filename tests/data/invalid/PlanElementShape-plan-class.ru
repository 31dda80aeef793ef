# breaks: an element (the threat) says it belongs to something that is not a plan (pg:inPlan class pg:Plan)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <threat-n1> pg:inPlan ?plan }
INSERT { <threat-n1> pg:inPlan <axis-i> }
WHERE  { <threat-n1> pg:inPlan ?plan }
