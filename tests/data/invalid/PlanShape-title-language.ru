# breaks: the plan title has no language tag (dct:title datatype rdf:langString)
BASE <https://w3id.org/plangraph/plan/fixture/>
PREFIX pg:     <https://w3id.org/plangraph/ontology#>
PREFIX pgplan: <https://w3id.org/plangraph/plan/>
PREFIX dct:    <http://purl.org/dc/terms/>

DELETE { pgplan:fixture dct:title ?title }
INSERT { pgplan:fixture dct:title "Plan de Acción de prueba para la protección de personas migrantes" }
WHERE  { pgplan:fixture dct:title ?title }
