# breaks: a concept (theme labour-rights) has two Spanish preferred labels (skos:prefLabel uniqueLang)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>

INSERT DATA { <https://w3id.org/plangraph/vocab/theme/labour-rights> skos:prefLabel "Derechos del trabajo"@es }
