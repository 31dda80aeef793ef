# breaks: a resolution's explanation has no language tag (sh:datatype rdf:langString)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>
PREFIX prov:   <http://www.w3.org/ns/prov#>

DELETE { <resolution/generic-fixture-labour-ministries/gt-fixture-ministry> pg:explanation ?e }
INSERT { <resolution/generic-fixture-labour-ministries/gt-fixture-ministry> pg:explanation "GT is a member of the CRM" }
WHERE { <resolution/generic-fixture-labour-ministries/gt-fixture-ministry> pg:explanation ?e }
