# breaks: a fragment selector (of the commitment) does not say it conforms to RFC 5147 (dct:conformsTo hasValue)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX dct:    <http://purl.org/dc/terms/>

DELETE WHERE { <commitment-1/source/lines-1> dct:conformsTo ?spec }
