# breaks: the plan country is not an ISO 3166-1 alpha-2 code (pg:countryCode pattern)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { pgplan:fixture pg:countryCode ?code }
INSERT { pgplan:fixture pg:countryCode "Guatemala" }
WHERE  { pgplan:fixture pg:countryCode ?code }
