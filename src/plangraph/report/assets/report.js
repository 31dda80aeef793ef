/* plangraph report: sortable and searchable tables, the institution coordination network and the
   plan-plan overlap network, in plain JavaScript (no library, no network access). The data are in
   the page: <script type="application/json" id="report-data">. */
(function () {
  "use strict";

  var NET = window.PlangraphNet;
  var el = NET.el;
  var forceLayout = NET.forceLayout, circleLayout = NET.circleLayout, drawGraph = NET.drawGraph;
  var dataNode = document.getElementById("report-data");
  var DATA = dataNode ? JSON.parse(dataNode.textContent) : {};

  /* ---------------------------------------------------------------- tables */

  function cellKey(cell) {
    var raw = cell.getAttribute("data-sort");
    var text = (raw !== null ? raw : cell.textContent).trim();
    if (/^-?\d+(\.\d+)?$/.test(text)) { return { num: true, v: parseFloat(text) }; }
    return { num: false, v: text.toLowerCase() };
  }

  function sortTable(table, index, th) {
    var body = table.tBodies[0];
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
      return { row: row, key: cellKey(row.cells[index] || row.cells[0]), i: i };
    });
    rows.sort(function (a, b) {
      var x = a.key, y = b.key, d;
      if (x.num && y.num) { d = x.v - y.v; }
      else if (x.num !== y.num) { d = x.num ? -1 : 1; }
      else { d = x.v < y.v ? -1 : (x.v > y.v ? 1 : 0); }
      if (!ascending) { d = -d; }
      return d !== 0 ? d : a.i - b.i;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
  }

  function initTables() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
      if (!table.tHead) { return; }
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
        th.classList.add("sortable");
        th.tabIndex = 0;
        th.title = "Click to sort";
        th.addEventListener("click", function () { sortTable(table, i, th); });
        th.addEventListener("keydown", function (ev) {
          if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); sortTable(table, i, th); }
        });
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("input[data-filter-for]"), function (input) {
      var table = document.getElementById(input.getAttribute("data-filter-for"));
      var counter = document.getElementById(input.getAttribute("data-filter-for") + "-shown");
      if (!table) { return; }
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLowerCase();
        var shown = 0;
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var hit = !needle || row.textContent.toLowerCase().indexOf(needle) >= 0;
          row.style.display = hit ? "" : "none";
          if (hit) { shown += 1; }
        });
        if (counter) { counter.textContent = shown + " of " + table.tBodies[0].rows.length + " rows"; }
      });
    });
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
    });
  }

  /* ---------------------------------------------------------------- coordination network */

  function initCoordination() {
    var C = DATA.coordination;
    var box = document.getElementById("coord-net");
    if (!C || !box) { return; }
    var svg = box.querySelector("svg");
    var tooltip = box.querySelector(".tooltip");
    var side = document.getElementById("coord-side");
    var status = document.getElementById("coord-status");
    var legend = document.getElementById("coord-legend");
    var sel = {
      plan: document.getElementById("coord-plan"),
      theme: document.getElementById("coord-theme"),
      role: document.getElementById("coord-role"),
      colour: document.getElementById("coord-colour"),
      named: document.getElementById("coord-named"),
      actions: document.getElementById("coord-actions")
    };
    var planById = {};
    C.plans.forEach(function (p) { planById[p.id] = p; });

    function matches(part) {
      var inst = C.institutions[part[0]];
      var elem = C.elements[part[1]];
      if (!inst || !elem) { return false; }
      if (sel.plan.value && elem.plan !== sel.plan.value) { return false; }
      if (sel.role.value && part[2] !== sel.role.value) { return false; }
      if (sel.theme.value && elem.themes.indexOf(sel.theme.value) < 0) { return false; }
      if (sel.named.checked && inst.generic) { return false; }
      if (sel.actions.checked && !elem.action) { return false; }
      return true;
    }

    function build() {
      var byElement = {};
      var stats = {};
      C.participations.forEach(function (part) {
        if (!matches(part)) { return; }
        var id = part[0], ei = part[1];
        var st = stats[id] || (stats[id] = { actions: {}, elements: {}, plans: {}, roles: {} });
        st.elements[ei] = true;
        if (C.elements[ei].action) { st.actions[ei] = true; }
        st.plans[C.elements[ei].plan] = true;
        st.roles[part[2]] = true;
        (byElement[ei] = byElement[ei] || {})[id] = true;
      });
      var edgeMap = {};
      Object.keys(byElement).forEach(function (ei) {
        var ids = Object.keys(byElement[ei]).sort();
        for (var i = 0; i < ids.length; i++) {
          for (var j = i + 1; j < ids.length; j++) {
            var key = ids[i] + "\u0000" + ids[j];
            var e = edgeMap[key] || (edgeMap[key] = { source: ids[i], target: ids[j], weight: 0 });
            e.weight += 1;
          }
        }
      });
      var colourBy = sel.colour.value;
      var nodes = Object.keys(stats).sort().map(function (id) {
        var inst = C.institutions[id], st = stats[id];
        var nActions = Object.keys(st.actions).length;
        var plans = Object.keys(st.plans).sort().map(function (p) { return planById[p] ? planById[p].tag : p; });
        return {
          id: id,
          label: inst.short,
          group: String(inst.community),
          r: 4 + 2.2 * Math.sqrt(nActions),
          color: colourBy === "community" ? communityColour(inst.community) : (C.typeColours[inst.type] || "#999"),
          nActions: nActions,
          tip: [
            inst.label + (inst.short !== inst.label ? " (" + inst.short + ")" : ""),
            "type: " + (inst.typeLabel || inst.type || "—") + (inst.generic ? " (generic mention)" : ""),
            "community: " + inst.community,
            "plans: " + plans.join(", "),
            "action-level elements: " + nActions + " · elements: " + Object.keys(st.elements).length,
            "roles: " + Object.keys(st.roles).sort().join(", ")
          ]
        };
      });
      var ranked = nodes.slice().sort(function (a, b) { return b.nActions - a.nActions || (a.id < b.id ? -1 : 1); });
      ranked.slice(0, 14).forEach(function (nd) { nd.labelled = true; });
      var edges = Object.keys(edgeMap).sort().map(function (k) {
        var e = edgeMap[k];
        e.width = Math.min(1 + Math.log(e.weight) * 1.5, 7);
        e.tip = C.institutions[e.source].short + " – " + C.institutions[e.target].short + ": " + e.weight + " shared element(s)";
        return e;
      });
      return { nodes: nodes, edges: edges };
    }

    function communityColour(c) {
      var pal = C.communityColours;
      return pal[Math.abs(c) % pal.length];
    }

    function showLegend(graph) {
      legend.innerHTML = "";
      var used = {};
      graph.nodes.forEach(function (nd) {
        var inst = C.institutions[nd.id];
        var key = sel.colour.value === "community" ? "community " + inst.community : (inst.typeLabel || inst.type);
        used[key] = nd.color;
      });
      Object.keys(used).sort(function (a, b) {
        var na = parseInt(a.replace(/\D/g, ""), 10), nb = parseInt(b.replace(/\D/g, ""), 10);
        return (isNaN(na) || isNaN(nb)) ? (a < b ? -1 : 1) : na - nb;
      }).forEach(function (k) {
        var item = el("span");
        item.appendChild(el("span", { "class": "sw", style: "background:" + used[k] }));
        item.appendChild(document.createTextNode(k));
        legend.appendChild(item);
      });
    }

    function showDetails(nd) {
      var inst = C.institutions[nd.id];
      side.innerHTML = "";
      side.appendChild(el("h4", null, inst.label));
      side.appendChild(el("div", { "class": "id" }, nd.id + " · " + (inst.typeLabel || inst.type) + " · community " + inst.community));
      var list = el("ul", { "class": "plan-roles" });
      C.participations.forEach(function (part) {
        if (part[0] !== nd.id || !matches(part)) { return; }
        var elem = C.elements[part[1]];
        var li = el("li");
        var tag = planById[elem.plan] ? planById[elem.plan].tag : elem.plan;
        li.appendChild(el("span", { "class": "plan-tag", style: "background:" + (planById[elem.plan] ? planById[elem.plan].color : "#777") }, tag));
        li.appendChild(document.createTextNode(" " + elem.label + " — " + part[2] + " "));
        if (elem.src) {
          var a = el("a", { "class": "src", href: "sources.html#" + elem.src, target: "_blank", title: elem.text }, elem.lines);
          li.appendChild(a);
        }
        li.appendChild(el("div", { "class": "quote" }, elem.text.length > 220 ? elem.text.slice(0, 217) + "…" : elem.text));
        list.appendChild(li);
      });
      side.appendChild(list);
    }

    function update() {
      var graph = build();
      forceLayout(graph.nodes, graph.edges, 1000, 700, 260);
      drawGraph(svg, tooltip, graph, { onClick: showDetails });
      svg.setAttribute("data-nodes", String(graph.nodes.length));
      status.textContent = graph.nodes.length + " institutions, " + graph.edges.length + " links (two institutions are linked when they take part in the same plan element; the width grows with the number of shared elements).";
      showLegend(graph);
    }

    [sel.plan, sel.theme, sel.role, sel.colour, sel.named, sel.actions].forEach(function (s) {
      s.addEventListener("change", update);
    });
    update();
    window.plangraphReport = window.plangraphReport || {};
    window.plangraphReport.updateCoordination = update;
  }

  /* ---------------------------------------------------------------- plan-plan network */

  function initPlanNetwork() {
    var P = DATA.planNetwork;
    var box = document.getElementById("plan-net");
    if (!P || !box) { return; }
    var svg = box.querySelector("svg");
    var tooltip = box.querySelector(".tooltip");
    var measure = document.getElementById("plan-measure");
    var status = document.getElementById("plan-status");

    function update() {
      var key = measure.value;
      var maxW = 1;
      P.edges.forEach(function (e) { maxW = Math.max(maxW, e[key] || 0); });
      var nodes = P.nodes.map(function (p) {
        return {
          id: p.id, label: p.tag + " " + p.short, group: p.id, color: p.color, labelled: true,
          r: 8 + 2 * Math.sqrt(p.actions || 0),
          tip: [p.title, "action-level elements: " + p.actions, "institutions: " + p.institutions]
        };
      });
      var edges = P.edges.filter(function (e) { return (e[key] || 0) > 0; }).map(function (e) {
        return {
          source: e.source, target: e.target, weight: e[key], label: String(e[key]),
          width: 1 + 9 * (e[key] / maxW),
          tip: e.sourceTag + " – " + e.targetTag + ": " + e.institutions + " institutions (" + e.named_institutions +
            " named), " + e.themes + " themes, " + e.populations + " populations, " + e.frameworks + " framework objectives in common"
        };
      });
      if (nodes.length <= 10) { circleLayout(nodes, 1000, 600); } else { forceLayout(nodes, edges, 1000, 600, 200); }
      drawGraph(svg, tooltip, { nodes: nodes, edges: edges }, {});
      svg.setAttribute("data-nodes", String(nodes.length));
      status.textContent = edges.length + " of " + (P.nodes.length * (P.nodes.length - 1) / 2) +
        " pairs of plans share " + measure.options[measure.selectedIndex].text +
        " (the number on each link).";
    }
    measure.addEventListener("change", update);
    update();
  }

  /* ---------------------------------------------------------------- start */

  function start() {
    initTables();
    try { initCoordination(); } catch (err) { console.error(err); }
    try { initPlanNetwork(); } catch (err) { console.error(err); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
