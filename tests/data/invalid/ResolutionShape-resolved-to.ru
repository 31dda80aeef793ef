# breaks: a resolution resolves to a generic agent, not an organisation (sh:class org:Organization)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>
PREFIX prov:   <http://www.w3.org/ns/prov#>

DELETE { <resolution/generic-fixture-labour-ministries/gt-fixture-ministry> pg:resolvedTo ?i }
INSERT { <resolution/generic-fixture-labour-ministries/gt-fixture-ministry> pg:resolvedTo pginst:generic-fixture-bodies }
WHERE { <resolution/generic-fixture-labour-ministries/gt-fixture-ministry> pg:resolvedTo ?i }
