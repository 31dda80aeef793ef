# breaks: a named organisation (not a generic agent) says it stands for the bodies of the member states
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>

INSERT DATA { pginst:gt-fixture-ministry pg:agentScope <https://w3id.org/plangraph/vocab/agent-scope/member-states> }
