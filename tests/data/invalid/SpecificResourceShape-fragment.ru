# breaks: provenance (of the vision) has no line-range fragment selector (oa:hasSelector qualified FragmentSelector)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX oa:     <http://www.w3.org/ns/oa#>

DELETE DATA { <vision-n1/source> oa:hasSelector <vision-n1/source/lines-1> }
