# breaks: a tagging assigns no concept (pg:concept minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE WHERE { <axis-i/strategic-line-1/result-1/action-1.1/tagging-1> pg:concept ?concept }
