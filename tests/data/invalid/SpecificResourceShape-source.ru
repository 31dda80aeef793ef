# breaks: provenance (of action 1.1) names no source document (oa:hasSource minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX oa:     <http://www.w3.org/ns/oa#>

DELETE WHERE { <axis-i/strategic-line-1/result-1/action-1.1/source> oa:hasSource ?doc }
