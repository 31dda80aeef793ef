# breaks: what a programme serves is not a population concept (a theme of another scheme)
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>

DELETE { pginst:gt-fixture-programme pg:serves ?p }
INSERT { pginst:gt-fixture-programme pg:serves <https://w3id.org/plangraph/vocab/organisation-type/ministry> }
WHERE { pginst:gt-fixture-programme pg:serves ?p }
