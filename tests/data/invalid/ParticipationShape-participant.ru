# breaks: a participation has no participant (cv:hasParticipant minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX cv:     <http://data.europa.eu/m8g/>

DELETE WHERE { <axis-i/strategic-line-1/result-1/action-1.1/participation-2> cv:hasParticipant ?agent }
