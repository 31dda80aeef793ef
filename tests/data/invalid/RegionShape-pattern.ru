# breaks: a region's member country is not an ISO 3166-1 alpha-2 code
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pginst: <https://w3id.org/plangraph/institution/>

INSERT DATA { <https://w3id.org/plangraph/vocab/region/crm> pg:memberCountry "Guatemala" }
