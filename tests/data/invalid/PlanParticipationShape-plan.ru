# breaks: a plan-level participation hangs from an element, not from a plan (inverse pg:hasPlanParticipation sh:class pg:Plan)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { pgplan:fixture pg:hasPlanParticipation <participation-1> }
INSERT { <axis-i> pg:hasPlanParticipation <participation-1> }
WHERE  { pgplan:fixture pg:hasPlanParticipation <participation-1> }
