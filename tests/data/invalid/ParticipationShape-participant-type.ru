# breaks: a participant is neither an organisation nor a generic agent, but the plan (cv:hasParticipant sh:or)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX cv:     <http://data.europa.eu/m8g/>

DELETE { <axis-i/strategic-line-1/result-1/action-1.1/participation-3> cv:hasParticipant ?agent }
INSERT { <axis-i/strategic-line-1/result-1/action-1.1/participation-3> cv:hasParticipant pgplan:fixture }
WHERE  { <axis-i/strategic-line-1/result-1/action-1.1/participation-3> cv:hasParticipant ?agent }
