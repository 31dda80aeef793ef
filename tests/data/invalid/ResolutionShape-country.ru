# breaks: a resolution's country is a name, not an ISO 3166-1 alpha-2 code
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>
PREFIX prov:   <http://www.w3.org/ns/prov#>

DELETE { <resolution/generic-fixture-labour-ministries/gt-fixture-ministry> pg:countryCode ?c }
INSERT { <resolution/generic-fixture-labour-ministries/gt-fixture-ministry> pg:countryCode "Guatemala" }
WHERE { <resolution/generic-fixture-labour-ministries/gt-fixture-ministry> pg:countryCode ?c }
