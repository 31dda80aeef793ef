# breaks: a generic agent's scope is not a concept of the agent-scope scheme (a region)
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>

DELETE { pginst:generic-fixture-labour-ministries pg:agentScope ?s }
INSERT { pginst:generic-fixture-labour-ministries pg:agentScope <https://w3id.org/plangraph/vocab/region/crm> }
WHERE { pginst:generic-fixture-labour-ministries pg:agentScope ?s }
