# breaks: a fragment selector (of axis I) has a line range not in RFC 5147 form (rdf:value pattern)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#>

DELETE { <axis-i/source/lines-1> rdf:value ?value }
INSERT { <axis-i/source/lines-1> rdf:value "lines=40-40" }
WHERE  { <axis-i/source/lines-1> rdf:value ?value }
