/* plangraph map: one network on its own page (plangraph map KIND --format html), drawn with
   network.js; filter by plan, colour by type, community or plan. Data: #map-data. */
(function () {
  "use strict";

  const NET = window.PlangraphNet;
  const el = NET.el;
  const M = JSON.parse(document.getElementById("map-data").textContent);
  const box = document.getElementById("map-net");
  const svg = box.querySelector("svg");
  const tooltip = box.querySelector(".tooltip");
  const planSel = document.getElementById("map-plan");
  const colourSel = document.getElementById("map-colour");
  const search = document.getElementById("map-search");
  const status = document.getElementById("map-status");
  const legend = document.getElementById("map-legend");
  const side = document.getElementById("map-side");
  const planById = {};
  M.plans.forEach((p) => { planById[p.id] = p; });

  function colourOf(node) {
    const by = colourSel.value;
    if (by === "community") { return M.categoryColours[Math.abs(node.community) % M.categoryColours.length]; }
    if (by === "plan") {
      const p = planById[node.plans[0]];
      return node.plans.length > 1 ? "#555555" : (p ? p.color : "#999999");
    }
    return M.typeColours[node.type] || "#999999";
  }

  function legendKey(node) {
    const by = colourSel.value;
    if (by === "community") { return "community " + node.community; }
    if (by === "plan") {
      const p = planById[node.plans[0]];
      return node.plans.length > 1 ? "several plans" : (p ? p.tag + " " + p.title : "?");
    }
    return (node.type || "?").replace(/_/g, " ");
  }

  function details(node) {
    const n = node.raw;
    const list = el("ul", { "class": "plan-roles" });
    Object.keys(n.attrs).sort().forEach((k) => {
      list.appendChild(el("li", null, k + ": " + n.attrs[k]));
    });
    side.replaceChildren(el("h4", null, n.full), el("div", { "class": "id" }, n.id), list);
  }

  function update() {
    const plan = planSel.value;
    const needle = search.value.trim().toLowerCase();
    const keep = {};
    const nodes = M.nodes.filter((n) => {
      const ok = (!plan || n.plans.includes(plan)) &&
        (!needle || (n.label + " " + n.full + " " + n.id).toLowerCase().includes(needle));
      if (ok) { keep[n.id] = true; }
      return ok;
    }).map((n) => ({
      id: n.id, label: n.label, group: String(n.community), color: colourOf(n), labelled: false,
      r: M.sizeBy === "n_actions" ? 4 + 2.2 * Math.sqrt(n.n_actions || 0) : 6 + 2 * Math.sqrt(n.degree || 0),
      tip: [n.full, "type: " + n.type, "community: " + n.community,
        "plans: " + n.plans.map((p) => (planById[p] ? planById[p].tag : p)).join(", "),
        "action-level elements: " + n.n_actions + " · links: " + n.degree],
      raw: n
    }));
    nodes.slice().sort((a, b) => b.r - a.r || (a.id < b.id ? -1 : 1))
      .slice(0, M.labelTop).forEach((n) => { n.labelled = true; });
    let maxW = 1;
    M.edges.forEach((e) => { maxW = Math.max(maxW, e.weight); });
    const edges = M.edges.filter((e) => (
      keep[e.source] && keep[e.target] && (!plan || !e.plans || !e.plans.length || e.plans.includes(plan))
    )).map((e) => ({
      source: e.source, target: e.target, weight: e.weight, width: 1 + 5 * (e.weight / maxW),
      tip: e.tip, label: M.edgeLabels ? String(e.weight) : ""
    }));
    if (nodes.length <= 10) { NET.circleLayout(nodes, 1000, 700); } else { NET.forceLayout(nodes, edges, 1000, 700, 260); }
    NET.drawGraph(svg, tooltip, { nodes: nodes, edges: edges }, { onClick: details });
    svg.setAttribute("data-nodes", String(nodes.length));
    status.textContent = nodes.length + " nodes, " + edges.length + " edges.";
    const used = {};
    nodes.forEach((n) => { used[legendKey(n.raw)] = n.color; });
    NET.showLegend(legend, used);
  }

  [planSel, colourSel].forEach((s) => { s.addEventListener("change", update); });
  search.addEventListener("input", update);
  update();
})();
