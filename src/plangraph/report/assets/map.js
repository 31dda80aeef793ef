/* plangraph map: one network on its own page (plangraph map KIND --format html), drawn with
   network.js; filter by plan, colour by type, community or plan. Data: #map-data. */
(function () {
  "use strict";
  var NET = window.PlangraphNet;
  var el = NET.el;
  var M = JSON.parse(document.getElementById("map-data").textContent);
  var box = document.getElementById("map-net");
  var svg = box.querySelector("svg");
  var tooltip = box.querySelector(".tooltip");
  var planSel = document.getElementById("map-plan");
  var colourSel = document.getElementById("map-colour");
  var search = document.getElementById("map-search");
  var status = document.getElementById("map-status");
  var legend = document.getElementById("map-legend");
  var side = document.getElementById("map-side");
  var planById = {};
  M.plans.forEach(function (p) { planById[p.id] = p; });

  function colourOf(node) {
    var by = colourSel.value;
    if (by === "community") { return M.categoryColours[Math.abs(node.community) % M.categoryColours.length]; }
    if (by === "plan") {
      var p = planById[node.plans[0]];
      return node.plans.length > 1 ? "#555555" : (p ? p.color : "#999999");
    }
    return M.typeColours[node.type] || "#999999";
  }

  function legendKey(node) {
    var by = colourSel.value;
    if (by === "community") { return "community " + node.community; }
    if (by === "plan") { return node.plans.length > 1 ? "several plans" : (planById[node.plans[0]] ? planById[node.plans[0]].tag + " " + planById[node.plans[0]].title : "?"); }
    return (node.type || "?").replace(/_/g, " ");
  }

  function update() {
    var plan = planSel.value;
    var needle = search.value.trim().toLowerCase();
    var keep = {};
    var nodes = M.nodes.filter(function (n) {
      var ok = (!plan || n.plans.indexOf(plan) >= 0) &&
        (!needle || (n.label + " " + n.full + " " + n.id).toLowerCase().indexOf(needle) >= 0);
      if (ok) { keep[n.id] = true; }
      return ok;
    }).map(function (n) {
      return {
        id: n.id, label: n.label, group: String(n.community), color: colourOf(n), labelled: false,
        r: M.sizeBy === "n_actions" ? 4 + 2.2 * Math.sqrt(n.n_actions || 0) : 6 + 2 * Math.sqrt(n.degree || 0),
        tip: [n.full, "type: " + n.type, "community: " + n.community,
              "plans: " + n.plans.map(function (p) { return planById[p] ? planById[p].tag : p; }).join(", "),
              "action-level elements: " + n.n_actions + " · links: " + n.degree],
        raw: n
      };
    });
    nodes.slice().sort(function (a, b) { return b.r - a.r || (a.id < b.id ? -1 : 1); })
      .slice(0, M.labelTop).forEach(function (n) { n.labelled = true; });
    var maxW = 1;
    M.edges.forEach(function (e) { maxW = Math.max(maxW, e.weight); });
    var edges = M.edges.filter(function (e) {
      return keep[e.source] && keep[e.target] && (!plan || !e.plans || !e.plans.length || e.plans.indexOf(plan) >= 0);
    }).map(function (e) {
      return { source: e.source, target: e.target, weight: e.weight, width: 1 + 5 * (e.weight / maxW),
               tip: e.tip, label: M.edgeLabels ? String(e.weight) : "" };
    });
    if (nodes.length <= 10) { NET.circleLayout(nodes, 1000, 700); } else { NET.forceLayout(nodes, edges, 1000, 700, 260); }
    NET.drawGraph(svg, tooltip, { nodes: nodes, edges: edges }, { onClick: details });
    svg.setAttribute("data-nodes", String(nodes.length));
    status.textContent = nodes.length + " nodes, " + edges.length + " edges.";
    legend.innerHTML = "";
    var used = {};
    nodes.forEach(function (n) { used[legendKey(n.raw)] = n.color; });
    Object.keys(used).sort().forEach(function (k) {
      var item = el("span");
      item.appendChild(el("span", { "class": "sw", style: "background:" + used[k] }));
      item.appendChild(document.createTextNode(k));
      legend.appendChild(item);
    });
  }

  function details(node) {
    var n = node.raw;
    side.innerHTML = "";
    side.appendChild(el("h4", null, n.full));
    side.appendChild(el("div", { "class": "id" }, n.id));
    var dl = el("ul", { "class": "plan-roles" });
    Object.keys(n.attrs).sort().forEach(function (k) {
      dl.appendChild(el("li", null, k + ": " + n.attrs[k]));
    });
    side.appendChild(dl);
  }

  [planSel, colourSel].forEach(function (s) { s.addEventListener("change", update); });
  search.addEventListener("input", update);
  update();
})();
