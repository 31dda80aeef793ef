# breaks: the plan has two statuses (pg:status maxCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

INSERT DATA { pgplan:fixture pg:status pg:Draft }
