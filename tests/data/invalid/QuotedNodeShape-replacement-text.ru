# breaks: a replacement statement keeps no words of the document (pg:text minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>

DELETE WHERE { <replaces-1> pg:text ?text }
