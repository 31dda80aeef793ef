# breaks: a concept (theme labour-rights) has no English preferred label (qualified languageIn en)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>

DELETE DATA { <https://w3id.org/plangraph/vocab/theme/labour-rights> skos:prefLabel "Labour rights"@en }
