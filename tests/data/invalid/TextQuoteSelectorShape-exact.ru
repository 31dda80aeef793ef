# breaks: a quote selector (of axis I) has an empty exact quote (oa:exact minLength 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX oa:     <http://www.w3.org/ns/oa#>

DELETE { <axis-i/source/quote> oa:exact ?exact }
INSERT { <axis-i/source/quote> oa:exact "" }
WHERE  { <axis-i/source/quote> oa:exact ?exact }
