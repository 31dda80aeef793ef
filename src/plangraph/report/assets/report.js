/* plangraph report: sortable and searchable tables, the institution coordination network and the
   plan-plan overlap network, in plain JavaScript (no library, no network access). The data are in
   the page: <script type="application/json" id="report-data">. */
(function () {
  "use strict";

  const NET = window.PlangraphNet;
  const el = NET.el;
  const dataNode = document.getElementById("report-data");
  const DATA = dataNode ? JSON.parse(dataNode.textContent) : {};

  /* ---------------------------------------------------------------- tables */

  function cellKey(cell) {
    const raw = cell.getAttribute("data-sort");
    const text = (raw !== null ? raw : cell.textContent).trim();
    if (/^-?\d+(\.\d+)?$/.test(text)) { return { num: true, v: parseFloat(text) }; }
    return { num: false, v: text.toLowerCase() };
  }

  function compareKeys(x, y) {
    if (x.num && y.num) { return x.v - y.v; }
    if (x.num !== y.num) { return x.num ? -1 : 1; }
    return x.v < y.v ? -1 : (x.v > y.v ? 1 : 0);
  }

  function sortTable(table, index, th) {
    const body = table.tBodies[0];
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    for (const c of th.parentNode.cells) { c.removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const rows = Array.from(body.rows, (row, i) => ({ row: row, key: cellKey(row.cells[index] || row.cells[0]), i: i }));
    rows.sort((a, b) => {
      const d = ascending ? compareKeys(a.key, b.key) : -compareKeys(a.key, b.key);
      return d !== 0 ? d : a.i - b.i;
    });
    rows.forEach((r) => { body.appendChild(r.row); });
  }

  function initTables() {
    document.querySelectorAll("table.sortable").forEach((table) => {
      if (!table.tHead) { return; }
      Array.from(table.tHead.rows[0].cells).forEach((th, i) => {
        th.classList.add("sortable");
        th.tabIndex = 0;
        th.title = "Click to sort";
        th.addEventListener("click", () => { sortTable(table, i, th); });
        th.addEventListener("keydown", (ev) => {
          if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); sortTable(table, i, th); }
        });
      });
    });
    document.querySelectorAll("input[data-filter-for]").forEach((input) => {
      const table = document.getElementById(input.dataset.filterFor);
      const counter = document.getElementById(input.dataset.filterFor + "-shown");
      if (!table) { return; }
      input.addEventListener("input", () => {
        const needle = input.value.trim().toLowerCase();
        let shown = 0;
        for (const row of table.tBodies[0].rows) {
          const hit = !needle || row.textContent.toLowerCase().includes(needle);
          row.style.display = hit ? "" : "none";
          if (hit) { shown += 1; }
        }
        if (counter) { counter.textContent = shown + " of " + table.tBodies[0].rows.length + " rows"; }
      });
    });
    window.addEventListener("beforeprint", () => {
      document.querySelectorAll("details").forEach((d) => { d.open = true; });
    });
  }

  /* ---------------------------------------------------------------- legends */

  /* Legend keys with a number ("community 12") in numeric order, others by name. */
  function byNumber(a, b) {
    const na = parseInt(a.replace(/\D/g, ""), 10), nb = parseInt(b.replace(/\D/g, ""), 10);
    return (isNaN(na) || isNaN(nb)) ? (a < b ? -1 : 1) : na - nb;
  }

  /* A network section: its data (DATA[key]) and drawing area, #<id>-net (its <svg> and tooltip)
     and #<id>-status; null when the page or its data lack the network. */
  function networkArea(key, id) {
    const box = document.getElementById(id + "-net");
    if (!DATA[key] || !box) { return null; }
    return {
      data: DATA[key],
      svg: box.querySelector("svg"),
      tooltip: box.querySelector(".tooltip"),
      status: document.getElementById(id + "-status")
    };
  }

  /* ---------------------------------------------------------------- coordination network */

  function initCoordination() {
    const area = networkArea("coordination", "coord");
    if (!area) { return; }
    const { data: C, svg, tooltip, status } = area;
    const side = document.getElementById("coord-side");
    const legend = document.getElementById("coord-legend");
    const sel = {
      plan: document.getElementById("coord-plan"),
      theme: document.getElementById("coord-theme"),
      role: document.getElementById("coord-role"),
      colour: document.getElementById("coord-colour"),
      named: document.getElementById("coord-named"),
      actions: document.getElementById("coord-actions")
    };
    const planById = {};
    C.plans.forEach((p) => { planById[p.id] = p; });

    function matches(part) {
      const inst = C.institutions[part[0]];
      const elem = C.elements[part[1]];
      if (!inst || !elem) { return false; }
      if (sel.plan.value && elem.plan !== sel.plan.value) { return false; }
      if (sel.role.value && part[2] !== sel.role.value) { return false; }
      if (sel.theme.value && !elem.themes.includes(sel.theme.value)) { return false; }
      if (sel.named.checked && inst.generic) { return false; }
      if (sel.actions.checked && !elem.action) { return false; }
      return true;
    }

    function communityColour(c) {
      const pal = C.communityColours;
      return pal[Math.abs(c) % pal.length];
    }

    function build() {
      const byElement = {};
      const stats = {};
      C.participations.forEach((part) => {
        if (!matches(part)) { return; }
        const id = part[0], ei = part[1];
        const st = stats[id] || (stats[id] = { actions: {}, elements: {}, plans: {}, roles: {} });
        st.elements[ei] = true;
        if (C.elements[ei].action) { st.actions[ei] = true; }
        st.plans[C.elements[ei].plan] = true;
        st.roles[part[2]] = true;
        (byElement[ei] = byElement[ei] || {})[id] = true;
      });
      const edgeMap = {};
      Object.keys(byElement).forEach((ei) => {
        const ids = Object.keys(byElement[ei]).sort();
        for (let i = 0; i < ids.length; i++) {
          for (let j = i + 1; j < ids.length; j++) {
            const key = ids[i] + "\u0000" + ids[j];
            const e = edgeMap[key] || (edgeMap[key] = { source: ids[i], target: ids[j], weight: 0 });
            e.weight += 1;
          }
        }
      });
      const colourBy = sel.colour.value;
      const nodes = Object.keys(stats).sort().map((id) => {
        const inst = C.institutions[id], st = stats[id];
        const nActions = Object.keys(st.actions).length;
        const plans = Object.keys(st.plans).sort().map((p) => (planById[p] ? planById[p].tag : p));
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
      const ranked = nodes.slice().sort((a, b) => b.nActions - a.nActions || (a.id < b.id ? -1 : 1));
      ranked.slice(0, 14).forEach((nd) => { nd.labelled = true; });
      const edges = Object.keys(edgeMap).sort().map((k) => {
        const e = edgeMap[k];
        e.width = Math.min(1 + Math.log(e.weight) * 1.5, 7);
        e.tip = C.institutions[e.source].short + " – " + C.institutions[e.target].short + ": " + e.weight + " shared element(s)";
        return e;
      });
      return { nodes: nodes, edges: edges };
    }

    function legendKey(nd) {
      const inst = C.institutions[nd.id];
      return sel.colour.value === "community" ? "community " + inst.community : (inst.typeLabel || inst.type);
    }

    function showDetails(nd) {
      const inst = C.institutions[nd.id];
      side.replaceChildren(
        el("h4", null, inst.label),
        el("div", { "class": "id" }, nd.id + " · " + (inst.typeLabel || inst.type) + " · community " + inst.community)
      );
      const list = el("ul", { "class": "plan-roles" });
      C.participations.forEach((part) => {
        if (part[0] !== nd.id || !matches(part)) { return; }
        const elem = C.elements[part[1]];
        const li = el("li");
        const plan = planById[elem.plan];
        li.appendChild(el("span", { "class": "plan-tag", style: "background:" + (plan ? plan.color : "#777") }, plan ? plan.tag : elem.plan));
        li.appendChild(document.createTextNode(" " + elem.label + " — " + part[2] + " "));
        if (elem.src) {
          li.appendChild(el("a", { "class": "src", href: "sources.html#" + elem.src, target: "_blank", title: elem.text }, elem.lines));
        }
        li.appendChild(el("div", { "class": "quote" }, elem.text.length > 220 ? elem.text.slice(0, 217) + "…" : elem.text));
        list.appendChild(li);
      });
      side.appendChild(list);
    }

    function update() {
      const graph = build();
      NET.forceLayout(graph.nodes, graph.edges, 1000, 700, 260);
      NET.drawGraph(svg, tooltip, graph, { onClick: showDetails });
      svg.setAttribute("data-nodes", String(graph.nodes.length));
      status.textContent = graph.nodes.length + " institutions, " + graph.edges.length + " links (two institutions are linked when they take part in the same plan element; the width grows with the number of shared elements).";
      const used = {};
      graph.nodes.forEach((nd) => { used[legendKey(nd)] = nd.color; });
      NET.showLegend(legend, used, byNumber);
    }

    [sel.plan, sel.theme, sel.role, sel.colour, sel.named, sel.actions].forEach((s) => {
      s.addEventListener("change", update);
    });
    update();
    window.plangraphReport = window.plangraphReport || {};
    window.plangraphReport.updateCoordination = update;
  }

  /* ---------------------------------------------------------------- plan-plan network */

  function initPlanNetwork() {
    const area = networkArea("planNetwork", "plan");
    if (!area) { return; }
    const { data: P, svg, tooltip, status } = area;
    const measure = document.getElementById("plan-measure");

    function update() {
      const key = measure.value;
      let maxW = 1;
      P.edges.forEach((e) => { maxW = Math.max(maxW, e[key] || 0); });
      const nodes = P.nodes.map((p) => ({
        id: p.id, label: p.tag + " " + p.short, group: p.id, color: p.color, labelled: true,
        r: 8 + 2 * Math.sqrt(p.actions || 0),
        tip: [p.title, "action-level elements: " + p.actions, "institutions: " + p.institutions]
      }));
      const edges = P.edges.filter((e) => (e[key] || 0) > 0).map((e) => ({
        source: e.source, target: e.target, weight: e[key],
        label: key === "concept_similarity" ? e[key].toFixed(2) : String(e[key]),
        width: 1 + 9 * (e[key] / maxW),
        tip: e.sourceTag + " – " + e.targetTag + ": " + e.institutions + " institutions (" + e.named_institutions +
          " named), " + e.themes + " themes, " + e.populations + " populations, " + e.frameworks + " framework objectives in common; concept similarity " + e.concept_similarity.toFixed(2)
      }));
      if (nodes.length <= 10) { NET.circleLayout(nodes, 1000, 600); } else { NET.forceLayout(nodes, edges, 1000, 600, 200); }
      NET.drawGraph(svg, tooltip, { nodes: nodes, edges: edges }, {});
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
