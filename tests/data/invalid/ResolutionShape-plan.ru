# breaks: a resolution reads no plan (pg:forPlan minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>
PREFIX prov:   <http://www.w3.org/ns/prov#>

DELETE WHERE { <resolution/generic-fixture-labour-ministries/gt-fixture-ministry> pg:forPlan ?p }
