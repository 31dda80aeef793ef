# breaks: an immediate step directly under the plan; not an allowed parent kind (pg:partOf sh:or)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <axis-i/strategic-line-1/result-1/action-1.1/activity-n1/immediate-step-n1> pg:partOf ?old }
INSERT { <axis-i/strategic-line-1/result-1/action-1.1/activity-n1/immediate-step-n1> pg:partOf pgplan:fixture }
WHERE  { <axis-i/strategic-line-1/result-1/action-1.1/activity-n1/immediate-step-n1> pg:partOf ?old }
