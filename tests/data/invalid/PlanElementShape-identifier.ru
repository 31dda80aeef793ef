# breaks: an element (action 1.1) has two printed codes (dct:identifier maxCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX dct:    <http://purl.org/dc/terms/>

INSERT DATA { <axis-i/strategic-line-1/result-1/action-1.1> dct:identifier "1.2" }
