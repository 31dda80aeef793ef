# breaks: provenance (of the vision) has no text quote selector (oa:hasSelector qualified TextQuoteSelector)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX oa:     <http://www.w3.org/ns/oa#>

DELETE DATA { <vision-n1/source> oa:hasSelector <vision-n1/source/quote> }
