# breaks: an element (the mission) has a text without language tag (pg:text datatype rdf:langString)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>

DELETE { <mission-n1> pg:text ?text }
INSERT { <mission-n1> pg:text "Coordinar a las instituciones para proteger a las personas trabajadoras migrantes" }
WHERE  { <mission-n1> pg:text ?text }
