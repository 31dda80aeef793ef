# breaks: a resolution does not say how it was derived (pg:method minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>
PREFIX prov:   <http://www.w3.org/ns/prov#>

DELETE WHERE { <resolution/generic-fixture-labour-ministries/gt-fixture-ministry> pg:method ?m }
