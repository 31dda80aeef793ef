// The plangraph query page: an editor, the named queries as examples, results as a table.
// Plain JavaScript, no libraries: the page loads nothing but its own files.
// One IIFE in strict mode, like the report's scripts (body left unindented: a minimal change).
(function () {
"use strict";

const SHOWN_ROWS = 2000;

const $ = (id) => document.getElementById(id);

function setStatus(text, isError) {
  const status = $("status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

function termText(term) {
  if (!term) return "";
  switch (term.type) {
    case "uri": return term.value;
    case "bnode": return "_:" + term.value;
    case "triple": {
      const v = term.value;
      return "<< " + termText(v.subject) + " " + termText(v.predicate) + " " + termText(v.object) + " >>";
    }
    default: return term.value;
  }
}

const XSD = "http://www.w3.org/2001/XMLSchema#";
const NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger"];

function termNote(term) {
  if (!term || term.type !== "literal") return "";
  if (term["xml:lang"]) return "@" + term["xml:lang"];
  return "";
}

function termTitle(term) {
  if (!term) return "unbound";
  if (term.type === "literal" && term.datatype) return "^^" + term.datatype.replace(XSD, "xsd:");
  return term.type;
}

function isNumeric(term) {
  return !!(term && term.type === "literal" && term.datatype &&
    NUMERIC.includes(term.datatype.replace(XSD, "")));
}

function clearOutput() {
  const table = $("results");
  table.hidden = true;
  table.tHead.replaceChildren();
  table.tBodies[0].replaceChildren();
  $("graph").hidden = true;
  $("graph").textContent = "";
  $("downloads").hidden = true;
  $("graph-downloads").hidden = true;
}

function downloadUrl(query, format) {
  return "/sparql?" + new URLSearchParams({ query: query, format: format }).toString();
}

function showTable(data) {
  const table = $("results");
  const vars = data.head.vars || [];
  const headRow = document.createElement("tr");
  for (const v of vars) {
    const th = document.createElement("th");
    th.textContent = v;
    headRow.appendChild(th);
  }
  table.tHead.appendChild(headRow);
  const body = table.tBodies[0];
  const rows = data.results.bindings;
  for (const binding of rows.slice(0, SHOWN_ROWS)) {
    const tr = document.createElement("tr");
    for (const v of vars) {
      const td = document.createElement("td");
      const term = binding[v];
      td.textContent = termText(term);
      const note = termNote(term);
      if (note) {
        const small = document.createElement("small");
        small.textContent = note;
        td.appendChild(small);
      }
      td.title = termTitle(term);
      if (term && term.type === "uri") td.className = "iri";
      if (isNumeric(term)) td.className = "number";
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
  table.hidden = false;
  return rows.length;
}

async function runQuery() {
  const query = $("query").value;
  if (!query.trim()) return;
  clearOutput();
  setStatus("running…", false);
  $("run").disabled = true;
  const started = performance.now();
  try {
    const response = await fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: new URLSearchParams({ query: query }).toString(),
    });
    const ms = Math.round(performance.now() - started);
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      let message = response.status + " " + response.statusText;
      if (type.startsWith("application/json")) {
        const error = await response.json();
        message = response.status + ": " + error.message;
      }
      setStatus(message, true);
      return;
    }
    if (type.startsWith("application/sparql-results+json")) {
      const data = await response.json();
      if (typeof data.boolean === "boolean") {
        setStatus("ASK: " + data.boolean + " (" + ms + " ms)", false);
        return;
      }
      const count = showTable(data);
      const shown = count > SHOWN_ROWS ? " (showing the first " + SHOWN_ROWS + ")" : "";
      setStatus(count + " row" + (count === 1 ? "" : "s") + shown + " in " + ms + " ms", false);
      $("download-csv").href = downloadUrl(query, "csv");
      $("download-json").href = downloadUrl(query, "json");
      $("download-tsv").href = downloadUrl(query, "tsv");
      $("downloads").hidden = false;
    } else {
      const text = await response.text();
      $("graph").textContent = text;
      $("graph").hidden = false;
      setStatus("graph in " + ms + " ms", false);
      $("download-ttl").href = downloadUrl(query, "turtle");
      $("download-nt").href = downloadUrl(query, "ntriples");
      $("download-jsonld").href = downloadUrl(query, "jsonld");
      $("graph-downloads").hidden = false;
    }
  } catch (err) {
    setStatus("request failed: " + err, true);
  } finally {
    $("run").disabled = false;
  }
}

async function loadExamples() {
  const list = $("example-list");
  try {
    const response = await fetch("/queries", { headers: { "Accept": "application/json" } });
    const queries = await response.json();
    list.replaceChildren();
    if (queries.length === 0) {
      const li = document.createElement("li");
      li.className = "hint";
      li.textContent = "(no named queries on this server)";
      list.appendChild(li);
    }
    for (const q of queries) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "example";
      button.dataset.name = q.name;
      button.textContent = q.title;
      button.addEventListener("click", () => {
        $("query").value = q.query;
        setStatus("loaded " + q.name + (q.params.length ? " (parameters left unbound)" : ""), false);
        $("query").focus();
      });
      const name = document.createElement("code");
      name.textContent = q.name;
      const description = document.createElement("p");
      description.textContent = q.description;
      li.append(button, name, description);
      if (q.params.length) {
        const params = document.createElement("p");
        params.className = "hint";
        params.textContent = "parameters: " +
          q.params.map((p) => p.name + " (" + p.kind + ") " + p.description).join("; ") +
          " — bind them with /queries/" + q.name + "?" + q.params[0].name + "=…";
        li.appendChild(params);
      }
      list.appendChild(li);
    }
  } catch (err) {
    list.replaceChildren();
    const li = document.createElement("li");
    li.className = "error";
    li.textContent = "could not load the named queries: " + err;
    list.appendChild(li);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("query-form").addEventListener("submit", (event) => {
    event.preventDefault();
    runQuery();
  });
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      runQuery();
    }
  });
  loadExamples();
});
})();
