# breaks: a schedule entry has no period label (pg:periodLabel minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE WHERE { <axis-i/strategic-line-1/result-1/action-1.1/schedule-1> pg:periodLabel ?label }
