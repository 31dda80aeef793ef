# breaks: a generic agent with a scope names no public function (pg:publicFunction minCount 1)
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>

DELETE WHERE { pginst:generic-fixture-labour-ministries pg:publicFunction ?f }
