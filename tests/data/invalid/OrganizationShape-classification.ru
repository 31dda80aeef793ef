# breaks: an institution (the collaboration) has no organisation type (org:classification minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX pginst: <https://w3id.org/plangraph/institution/>
PREFIX org:    <http://www.w3.org/ns/org#>

DELETE WHERE { pginst:gt-fixture-group org:classification ?type }
