# breaks: a tagging does not say how it was derived (pg:method minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE WHERE { <axis-i/strategic-line-1/result-1/action-1.1/tagging-1> pg:method ?method }
