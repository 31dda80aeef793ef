# breaks: a concept outside the region scheme (a public function) lists member countries
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>

INSERT DATA { <https://w3id.org/plangraph/vocab/public-function/labour> pg:memberCountry "GT" }
