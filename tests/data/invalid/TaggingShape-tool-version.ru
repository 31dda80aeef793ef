# breaks: a tagging does not record the tool version (pg:toolVersion minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE WHERE { <axis-i/strategic-line-1/result-1/action-1.1/tagging-1> pg:toolVersion ?version }
