# breaks: a plan-level participation does not point at the lines that state it (prov:wasDerivedFrom minCount 1)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX prov:   <http://www.w3.org/ns/prov#>

DELETE WHERE { <participation-1> prov:wasDerivedFrom ?source }
