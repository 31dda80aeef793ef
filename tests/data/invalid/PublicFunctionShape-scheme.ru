# breaks: an institution's public function is not a concept of the public-function scheme (an organisation type)
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>

DELETE { pginst:gt-fixture-ministry pg:publicFunction ?f }
INSERT { pginst:gt-fixture-ministry pg:publicFunction <https://w3id.org/plangraph/vocab/organisation-type/ministry> }
WHERE { pginst:gt-fixture-ministry pg:publicFunction ?f }
