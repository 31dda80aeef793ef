# breaks: the plan has no title (dct:title minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX dct:    <http://purl.org/dc/terms/>

DELETE WHERE { pgplan:fixture dct:title ?title }
