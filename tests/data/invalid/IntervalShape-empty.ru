# breaks: the plan period has neither a beginning, an end nor a duration (sh:or)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX time:   <http://www.w3.org/2006/time#>

DELETE WHERE { <period> time:hasBeginning ?start . <period> time:hasEnd ?end }
