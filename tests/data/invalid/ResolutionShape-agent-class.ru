# breaks: a resolution resolves a named organisation, not a generic agent (sh:class pg:GenericAgent)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>
PREFIX prov:   <http://www.w3.org/ns/prov#>

DELETE { <resolution/generic-fixture-labour-ministries/gt-fixture-ministry> pg:genericAgent ?g }
INSERT { <resolution/generic-fixture-labour-ministries/gt-fixture-ministry> pg:genericAgent pginst:gt-fixture-group }
WHERE { <resolution/generic-fixture-labour-ministries/gt-fixture-ministry> pg:genericAgent ?g }
