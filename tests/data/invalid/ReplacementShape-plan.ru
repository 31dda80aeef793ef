# breaks: a replacement statement is made by no plan's document (inverse pg:statesReplacement minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>

DELETE WHERE { ?plan pg:statesReplacement <replaces-1> }
