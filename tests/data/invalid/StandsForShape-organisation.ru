# breaks: a generic agent stands for another generic agent, not an organisation
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>

INSERT DATA { pginst:generic-fixture-labour-ministries pg:standsFor pginst:generic-fixture-bodies }
