/* plangraph: force layout and SVG drawing of networks in plain JavaScript (no library), shared by
   the report and the map page.
   Exposes window.PlangraphNet = {forceLayout, circleLayout, drawGraph, showLegend, el, svgEl}. */
(function () {
  "use strict";

  const SVGNS = "http://www.w3.org/2000/svg";

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach((k) => { node.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function svgEl(tag, attrs) {
    const node = document.createElementNS(SVGNS, tag);
    if (attrs) { Object.keys(attrs).forEach((k) => { node.setAttribute(k, attrs[k]); }); }
    return node;
  }

  /* ---------------------------------------------------------------- layout */

  function mulberry32(seed) {
    return function () {
      seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /* Fruchterman-Reingold layout of one connected component inside a square of side `side`
     centred on (0, 0); deterministic (seeded start grouped by node.group, fixed iterations). */
  function layoutComponent(nodes, edges, side, iterations, rnd) {
    const n = nodes.length;
    if (n === 1) { nodes[0].x = 0; nodes[0].y = 0; return; }
    const groups = {};
    nodes.forEach((node) => { groups[node.group] = true; });
    const keys = Object.keys(groups).sort();
    const angle = {};
    keys.forEach((g, i) => { angle[g] = (2 * Math.PI * i) / keys.length; });
    nodes.forEach((node) => {
      const a = angle[node.group] + (rnd() - 0.5) * 1.2;
      const r = side * (0.1 + 0.3 * rnd());
      node.x = r * Math.cos(a);
      node.y = r * Math.sin(a);
    });
    const k = (side / Math.sqrt(n)) * 0.6;
    const index = {};
    nodes.forEach((node, i) => { index[node.id] = i; });
    let maxW = 1;
    const deg = new Float64Array(n);
    edges.forEach((e) => {
      maxW = Math.max(maxW, e.weight || 1);
      if (index[e.source] !== undefined) { deg[index[e.source]] += 1; }
      if (index[e.target] !== undefined) { deg[index[e.target]] += 1; }
    });
    const dx = new Float64Array(n), dy = new Float64Array(n);
    let temp = side / 6;
    // the repulsion is O(n^2) per iteration: fewer iterations on large components
    const rounds = n > 300 ? Math.max(40, Math.floor((iterations * 300) / n)) : iterations;
    for (let it = 0; it < rounds; it++) {
      dx.fill(0); dy.fill(0);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let ex = nodes[i].x - nodes[j].x, ey = nodes[i].y - nodes[j].y;
          let d2 = ex * ex + ey * ey;
          if (d2 < 0.01) { ex = rnd() - 0.5; ey = rnd() - 0.5; d2 = 0.01; }
          const f = (k * k) / d2;
          dx[i] += ex * f; dy[i] += ey * f; dx[j] -= ex * f; dy[j] -= ey * f;
        }
      }
      edges.forEach((e) => {
        const s = index[e.source], t = index[e.target];
        if (s === undefined || t === undefined || s === t) { return; }
        const ex = nodes[s].x - nodes[t].x, ey = nodes[s].y - nodes[t].y;
        const d = Math.sqrt(ex * ex + ey * ey) || 0.01;
        let strength = 0.6 + 0.4 * Math.log(1 + (e.weight || 1)) / Math.log(1 + maxW);
        // dense cliques (one element naming many bodies) would collapse: damp hubs' springs
        strength /= Math.sqrt(Math.max(1, Math.min(deg[s], deg[t])));
        const f = (d / k) * strength * 2;
        dx[s] -= ex * f; dy[s] -= ey * f; dx[t] += ex * f; dy[t] += ey * f;
      });
      for (let m = 0; m < n; m++) {
        dx[m] -= nodes[m].x * 0.05;
        dy[m] -= nodes[m].y * 0.05;
        const len = Math.sqrt(dx[m] * dx[m] + dy[m] * dy[m]) || 1;
        const step = Math.min(len, temp);
        nodes[m].x += (dx[m] / len) * step;
        nodes[m].y += (dy[m] / len) * step;
      }
      temp = Math.max(side / 400, temp * 0.975);
    }
  }

  /* Lay out a graph: each connected component on its own (force layout), then the components
     packed in rows, largest first, so isolated nodes do not fly away from the rest. */
  function forceLayout(nodes, edges, width, height, iterations) {
    if (!nodes.length) { return; }
    const rnd = mulberry32(7);
    const parent = {};
    function find(x) { while (parent[x] !== x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; }
    nodes.forEach((node) => { parent[node.id] = node.id; });
    edges.forEach((e) => {
      if (parent[e.source] === undefined || parent[e.target] === undefined) { return; }
      const a = find(e.source), b = find(e.target);
      if (a !== b) { parent[a < b ? b : a] = a < b ? a : b; }
    });
    const comps = {};
    nodes.forEach((node) => { (comps[find(node.id)] = comps[find(node.id)] || []).push(node); });
    const list = Object.keys(comps).map((key) => comps[key]);
    list.sort((a, b) => b.length - a.length || (a[0].id < b[0].id ? -1 : 1));
    const unit = 46;
    const boxes = list.map((members) => {
      const ids = {};
      members.forEach((node) => { ids[node.id] = true; });
      const own = edges.filter((e) => ids[e.source] && ids[e.target]);
      let maxR = 0;
      members.forEach((node) => { maxR = Math.max(maxR, node.r || 5); });
      const side = members.length === 1 ? 2 * maxR + 24 : unit * Math.sqrt(members.length) * 2.2;
      layoutComponent(members, own, side, iterations, rnd);
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      members.forEach((node) => {
        const r = node.r || 5;
        minX = Math.min(minX, node.x - r); maxX = Math.max(maxX, node.x + r);
        minY = Math.min(minY, node.y - r); maxY = Math.max(maxY, node.y + r);
      });
      return { members: members, minX: minX, minY: minY, w: maxX - minX + 24, h: maxY - minY + 24 };
    });
    let total = 0, widest = 0;
    boxes.forEach((b) => { total += b.w * b.h; widest = Math.max(widest, b.w); });
    const rowLimit = Math.max(widest, Math.sqrt(total) * (width / height));
    let x = 0, y = 0, rowH = 0;
    boxes.forEach((b) => {
      if (x > 0 && x + b.w > rowLimit) { x = 0; y += rowH; rowH = 0; }
      b.members.forEach((node) => { node.x = node.x - b.minX + x + 12; node.y = node.y - b.minY + y + 12; });
      x += b.w; rowH = Math.max(rowH, b.h);
    });
  }

  function circleLayout(nodes, width, height) {
    const cx = width / 2, cy = height / 2, r = Math.min(width, height) * 0.36;
    nodes.forEach((node, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / nodes.length;
      node.x = cx + r * Math.cos(a);
      node.y = cy + r * Math.sin(a);
    });
  }

  /* ---------------------------------------------------------------- drawing */

  // The pan and zoom listeners of each <svg>, removed when the graph is drawn again.
  const svgListeners = new WeakMap();

  /* Draw graph {nodes: [{id, label, r, color, tip, labelled}], edges: [{source, target, weight,
     width, label}]} into an <svg>, with pan (drag), zoom (wheel), hover highlighting and a tooltip. */
  function drawGraph(svg, tooltip, graph, opts) {
    svg.replaceChildren();
    if (svgListeners.has(svg)) { svgListeners.get(svg).abort(); }
    const listening = new AbortController();
    svgListeners.set(svg, listening);
    const nodes = graph.nodes, edges = graph.edges;
    if (!nodes.length) {
      svg.setAttribute("viewBox", "0 0 400 100");
      const empty = svgEl("text", { x: 200, y: 50, "text-anchor": "middle", "class": "elabel" });
      empty.textContent = "Nothing matches these filters.";
      svg.appendChild(empty);
      return;
    }
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    nodes.forEach((nd) => {
      minX = Math.min(minX, nd.x - nd.r); maxX = Math.max(maxX, nd.x + nd.r);
      minY = Math.min(minY, nd.y - nd.r); maxY = Math.max(maxY, nd.y + nd.r);
    });
    const pad = 60;
    const view = { x: minX - pad, y: minY - pad, w: Math.max(maxX - minX + 2 * pad, 200), h: Math.max(maxY - minY + 2 * pad, 150) };
    function setView() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
      // 11 screen pixels in viewBox units (the viewBox is scaled to fit, keeping its ratio)
      const box = svg.getBoundingClientRect();
      const scale = Math.min((box.width || 900) / view.w, (box.height || 600) / view.h);
      svg.style.setProperty("--fs", (11 / scale) + "px");
    }
    setView();
    const root = svgEl("g", { "class": "graph" });
    svg.appendChild(root);
    const byId = {};
    nodes.forEach((nd) => { byId[nd.id] = nd; });
    const neighbours = {};
    const edgeLayer = svgEl("g", { "class": "edges" });
    const nodeLayer = svgEl("g", { "class": "nodes" });
    const labelLayer = svgEl("g", { "class": "labels" });
    root.appendChild(edgeLayer); root.appendChild(nodeLayer); root.appendChild(labelLayer);
    const edgeEls = [];
    edges.forEach((e) => {
      const s = byId[e.source], t = byId[e.target];
      if (!s || !t) { return; }
      (neighbours[e.source] = neighbours[e.source] || {})[e.target] = true;
      (neighbours[e.target] = neighbours[e.target] || {})[e.source] = true;
      const line = svgEl("line", { x1: s.x, y1: s.y, x2: t.x, y2: t.y, "class": "edge", "stroke-width": e.width || 1 });
      line.setAttribute("data-source", e.source);
      line.setAttribute("data-target", e.target);
      const title = svgEl("title");
      title.textContent = e.tip || "";
      line.appendChild(title);
      edgeLayer.appendChild(line);
      edgeEls.push(line);
      if (e.label) {
        const lab = svgEl("text", { x: (s.x + t.x) / 2, y: (s.y + t.y) / 2, "class": "elabel", "text-anchor": "middle" });
        lab.textContent = e.label;
        labelLayer.appendChild(lab);
      }
    });
    const nodeEls = {};
    function moveTip(ev) {
      const box = svg.parentNode.getBoundingClientRect();
      tooltip.style.left = (ev.clientX - box.left + 14) + "px";
      tooltip.style.top = (ev.clientY - box.top + 10) + "px";
    }
    nodes.forEach((nd) => {
      const c = svgEl("circle", { cx: nd.x, cy: nd.y, r: nd.r, fill: nd.color, "class": "node" });
      c.setAttribute("data-id", nd.id);
      nodeLayer.appendChild(c);
      nodeEls[nd.id] = c;
      if (nd.labelled) {
        const t = svgEl("text", { x: nd.x + nd.r + 3, y: nd.y + 4, "class": "nlabel" });
        t.textContent = nd.label.length > 34 ? nd.label.slice(0, 33) + "…" : nd.label;
        labelLayer.appendChild(t);
      }
      c.addEventListener("mouseenter", (ev) => {
        const near = neighbours[nd.id] || {};
        Object.keys(nodeEls).forEach((id) => {
          nodeEls[id].classList.toggle("dim", id !== nd.id && !near[id]);
        });
        edgeEls.forEach((line) => {
          const on = line.getAttribute("data-source") === nd.id || line.getAttribute("data-target") === nd.id;
          line.classList.toggle("dim", !on);
        });
        tooltip.replaceChildren(el("strong", null, nd.label));
        (nd.tip || []).forEach((line) => { tooltip.appendChild(el("div", null, line)); });
        tooltip.style.display = "block";
        moveTip(ev);
      });
      c.addEventListener("mousemove", moveTip);
      c.addEventListener("mouseleave", () => {
        tooltip.style.display = "none";
        Object.keys(nodeEls).forEach((id) => { nodeEls[id].classList.remove("dim"); });
        edgeEls.forEach((line) => { line.classList.remove("dim"); });
      });
      c.addEventListener("click", (ev) => {
        ev.stopPropagation();
        Object.keys(nodeEls).forEach((id) => { nodeEls[id].classList.toggle("selected", id === nd.id); });
        if (opts.onClick) { opts.onClick(nd); }
      });
    });
    // pan and zoom by changing the viewBox
    const on = { signal: listening.signal };
    let dragging = null;
    svg.addEventListener("mousedown", (ev) => { dragging = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y }; }, on);
    svg.addEventListener("mousemove", (ev) => {
      if (!dragging) { return; }
      const scale = view.w / svg.getBoundingClientRect().width;
      view.x = dragging.vx - (ev.clientX - dragging.x) * scale;
      view.y = dragging.vy - (ev.clientY - dragging.y) * scale;
      setView();
    }, on);
    svg.addEventListener("mouseup", () => { dragging = null; }, on);
    svg.addEventListener("mouseleave", () => { dragging = null; }, on);
    svg.addEventListener("wheel", (ev) => {
      ev.preventDefault();
      const box = svg.getBoundingClientRect();
      const f = ev.deltaY > 0 ? 1.15 : 1 / 1.15;
      const px = view.x + ((ev.clientX - box.left) / box.width) * view.w;
      const py = view.y + ((ev.clientY - box.top) / box.height) * view.h;
      view.x = px - (px - view.x) * f; view.y = py - (py - view.y) * f;
      view.w *= f; view.h *= f;
      setView();
    }, { signal: listening.signal, passive: false });
  }

  /* Fill a legend with a colour swatch per key of `used` (key → colour), keys sorted by
     `compare` (default: as strings). */
  function showLegend(legend, used, compare) {
    legend.replaceChildren();
    Object.keys(used).sort(compare).forEach((k) => {
      const item = el("span");
      item.appendChild(el("span", { "class": "sw", style: "background:" + used[k] }));
      item.appendChild(document.createTextNode(k));
      legend.appendChild(item);
    });
  }

  window.PlangraphNet = {
    forceLayout: forceLayout,
    circleLayout: circleLayout,
    drawGraph: drawGraph,
    showLegend: showLegend,
    el: el,
    svgEl: svgEl
  };
})();
