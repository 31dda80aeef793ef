# breaks: a participation lost the words the document used for the participant (pg:mentionText minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE WHERE { <axis-i/strategic-line-1/result-1/action-1.1/participation-1> pg:mentionText ?text }
