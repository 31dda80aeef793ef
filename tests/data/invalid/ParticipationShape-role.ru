# breaks: a participation has a role outside the roles scheme (cv:role sh:in)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX cv:     <http://data.europa.eu/m8g/>

DELETE { <axis-i/strategic-line-1/result-1/action-1.1/participation-1> cv:role ?role }
INSERT { <axis-i/strategic-line-1/result-1/action-1.1/participation-1> cv:role <https://w3id.org/plangraph/vocab/role/owner> }
WHERE  { <axis-i/strategic-line-1/result-1/action-1.1/participation-1> cv:role ?role }
