# breaks: a named organisation (not a generic agent) stands for another body
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>

INSERT DATA { pginst:gt-fixture-group pg:standsFor pginst:gt-fixture-ministry }
