# breaks: an institution (the ministry) is classified by a concept outside the organisation-type scheme (org:classification sh:node)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX pginst: <https://w3id.org/plangraph/institution/>
PREFIX org:    <http://www.w3.org/ns/org#>

DELETE { pginst:gt-fixture-ministry org:classification ?type }
INSERT { pginst:gt-fixture-ministry org:classification <https://w3id.org/plangraph/vocab/theme/labour-rights> }
WHERE  { pginst:gt-fixture-ministry org:classification ?type }
