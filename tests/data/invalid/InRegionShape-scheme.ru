# breaks: a plan's region is not a concept of the region scheme (a public function)
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { pgplan:fixture pg:inRegion ?r }
INSERT { pgplan:fixture pg:inRegion <https://w3id.org/plangraph/vocab/public-function/labour> }
WHERE { pgplan:fixture pg:inRegion ?r }
