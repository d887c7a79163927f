// onatool's WebGL map: one sigma renderer kept alive, fed a graph once and styles as
// small updates. Every text from the survey reaches the page as a DOM text node
// (textContent) or as canvas text, never as markup.
import Graph from "graphology";
import Sigma from "sigma";
import { NodeShapeProgram } from "./shapes.js";

const FADED = "#E4E4E4";
const FADED_EDGE = "rgba(220,220,220,0.35)";

function el(tag, style, text) {
  const node = document.createElement(tag);
  if (style) Object.assign(node.style, style);
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function button(label, title, onClick) {
  const b = el("button", { font: "13px sans-serif", padding: "3px 9px", cursor: "pointer",
    border: "1px solid #bbb", borderRadius: "4px", background: "#fff" }, label);
  b.type = "button";
  b.title = title;
  b.setAttribute("aria-label", title);
  b.addEventListener("click", onClick);
  return b;
}

function withAlpha(colour, alpha) {
  if (typeof colour !== "string" || !/^#[0-9A-Fa-f]{6}$/.test(colour)) return colour;
  const n = parseInt(colour.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

/**
 * Build the map inside ``root``.
 *
 * @param {HTMLElement} root
 * @param {{onSelect?: function, onNeedGraph?: function, height?: number, showProfile?: boolean}} options
 * @returns {{update: function}} ``update(payload)`` takes {graphKey, graph?, style?, hidden?, labelSize?}.
 */
export function createMap(root, options = {}) {
  const state = {
    graphKey: null, graph: null, renderer: null, style: null, hidden: null,
    highlight: null, labelSize: 12, annotations: [], workshop: true, selected: null,
  };
  const probe = (window.onatoolMap = {
    drawn: false, drawnAt: null, nodeCount: 0, edgeCount: 0, updates: 0, lastPaintMs: null,
    renders: 0, renderTimes: [], lastExport: null, webgl: null,
  });

  // Layout: a toolbar, the drawing, a side panel (legend, notes, profile).
  root.textContent = "";
  Object.assign(root.style, { font: "13px sans-serif", color: "#222", margin: "0" });
  const bar = el("div", { display: "flex", flexWrap: "wrap", gap: "6px", alignItems: "center", padding: "4px 0" });
  const body = el("div", { display: "flex", gap: "8px" });
  const stage = el("div", { position: "relative", flex: "1 1 auto", minWidth: "0",
    height: `${options.height || 620}px`, border: "1px solid #ddd", background: "#fff" });
  stage.id = "onatool-webmap";
  const panel = el("div", { flex: "0 0 230px", maxHeight: `${options.height || 620}px`, overflowY: "auto",
    overflowX: "hidden" });
  const tooltip = el("div", { position: "absolute", pointerEvents: "none", display: "none", whiteSpace: "pre-line",
    background: "rgba(255,255,255,0.96)", border: "1px solid #999", borderRadius: "4px", padding: "4px 6px",
    zIndex: "10", maxWidth: "260px" });
  stage.appendChild(tooltip);
  body.append(stage, panel);
  root.append(bar, body);

  const search = el("input", { font: "13px sans-serif", padding: "3px 6px", width: "190px" });
  search.type = "search";
  search.placeholder = "Search a person or group";
  search.setAttribute("aria-label", "Search a person or group");
  const found = el("span", { color: "#555", minWidth: "80px" });
  search.addEventListener("input", () => runSearch(search.value));
  const labelSize = el("input");
  labelSize.type = "range";
  labelSize.min = "6";
  labelSize.max = "28";
  labelSize.value = "12";
  labelSize.setAttribute("aria-label", "Label size");
  labelSize.addEventListener("input", () => setLabelSize(Number(labelSize.value)));
  const labelWords = el("label", { display: "flex", alignItems: "center", gap: "4px" }, "Label size");
  labelWords.appendChild(labelSize);
  bar.append(
    search, found,
    button("+", "Zoom in", () => state.renderer && state.renderer.getCamera().animatedZoom({ duration: 200 })),
    button("−", "Zoom out", () => state.renderer && state.renderer.getCamera().animatedUnzoom({ duration: 200 })),
    button("Fit", "Fit the whole map", () => state.renderer && state.renderer.getCamera().animatedReset({ duration: 200 })),
    button("PNG", "Save the current view as PNG", () => exportPNG()),
    button("SVG", "Save the current view as SVG", () => exportSVG()),
    labelWords,
  );
  const legendBox = el("div");
  const notesBox = el("div", { color: "#444", marginTop: "8px" });
  const profileBox = el("div", { marginTop: "8px", whiteSpace: "pre-line" });
  profileBox.id = "onatool-profile";
  panel.append(profileBox, legendBox, notesBox);

  // Rendering --------------------------------------------------------------------------

  function nodeReducer(node, data) {
    const i = data.i;
    const s = state.style;
    const out = { x: data.x, y: data.y, size: 5, color: "#77AADD", shape: "dot", borderSize: 1,
      borderColor: "#333333", label: null, zIndex: 0 };
    if (s) {
      out.size = s.size[i];
      out.color = s.color[i];
      out.shape = s.shape[i];
      out.borderSize = s.border[i];
      out.borderColor = s.border[i] > 1.5 ? "#000000" : "#333333";
      out.label = s.label ? s.label[i] : null;
    }
    if (state.hidden && state.hidden[i]) out.hidden = true;
    if (state.highlight) {
      if (state.highlight.has(i)) {
        out.zIndex = 2;
        out.highlighted = true;
        out.borderSize = 3;
        out.borderColor = "#000000";
      } else {
        out.color = FADED;
        out.borderColor = "#CCCCCC";
        out.label = null;
      }
    }
    if (state.selected === i) {
      out.highlighted = true;
      out.zIndex = 3;
    }
    return out;
  }

  function edgeReducer(edge, data) {
    if (state.highlight) {
      const g = state.graph;
      const a = g.getNodeAttribute(g.source(edge), "i");
      const b = g.getNodeAttribute(g.target(edge), "i");
      if (!state.highlight.has(a) && !state.highlight.has(b)) return { ...data, color: FADED_EDGE, zIndex: 0 };
      return { ...data, zIndex: 1 };
    }
    return data;
  }

  function drawAnnotations() {
    const renderer = state.renderer;
    const ctx = renderer && renderer.canvasContexts.annotations;
    if (!ctx) return;
    const { width, height } = renderer.getDimensions();
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = "#6b6b6b";
    for (const a of state.annotations) {
      const p = renderer.graphToViewport({ x: a.x, y: -a.y });
      const px = Math.max(11, Math.min(40, renderer.scaleSize(a.size || 40) * 0.6));
      ctx.font = `600 ${px}px sans-serif`;
      ctx.textBaseline = "top";
      ctx.fillText(a.text, p.x, p.y);
    }
  }

  function buildGraph(g) {
    const graph = new Graph({ type: "mixed", multi: true, allowSelfLoops: true });
    const n = g.nodes.x.length;
    for (let i = 0; i < n; i++) graph.addNode(String(i), { i, x: g.nodes.x[i], y: -g.nodes.y[i] });
    const e = g.edges;
    for (let j = 0; j < e.source.length; j++) {
      const attrs = { size: 2.5 * e.width[j], color: withAlpha(e.color[j], 0.75), type: e.arrow[j] ? "arrow" : "line" };
      if (e.arrow[j]) graph.addDirectedEdge(String(e.source[j]), String(e.target[j]), attrs);
      else graph.addUndirectedEdge(String(e.source[j]), String(e.target[j]), attrs);
    }
    return graph;
  }

  function mountRenderer(graph) {
    if (state.renderer) state.renderer.kill();
    // Above 5,000 people ties and labels are hidden while the map moves, so dragging stays smooth.
    const big = graph.order > 5000;
    const renderer = new Sigma(graph, stage, {
      allowInvalidContainer: true,
      defaultNodeType: "shape",
      nodeProgramClasses: { shape: NodeShapeProgram },
      itemSizesReference: "positions",
      zoomToSizeRatioFunction: (x) => x,
      autoRescale: true,
      zIndex: true,
      labelSize: state.labelSize,
      labelFont: "sans-serif",
      labelRenderedSizeThreshold: 4,
      hideEdgesOnMove: big,
      hideLabelsOnMove: big,
      enableEdgeEvents: false,
      minEdgeThickness: 1,
      nodeReducer,
      edgeReducer,
    });
    renderer.createCanvasContext("annotations", { beforeLayer: "edges" });
    renderer.on("beforeRender", () => { probe.renderStart = performance.now(); });
    renderer.on("afterRender", () => {
      drawAnnotations();
      probe.renders += 1;
      // How long each frame took to draw (the last 1,000), for benchmarks/map_web.py.
      if (probe.renderStart !== undefined) {
        probe.renderTimes.push(performance.now() - probe.renderStart);
        if (probe.renderTimes.length > 1000) probe.renderTimes.shift();
      }
      if (!probe.drawn) {
        probe.drawn = true;
        probe.drawnAt = performance.now();
      }
      if (probe.pendingSince !== null && probe.pendingSince !== undefined) {
        probe.lastPaintMs = performance.now() - probe.pendingSince;
        probe.pendingSince = null;
      }
    });
    renderer.on("enterNode", ({ node, event }) => {
      const i = graph.getNodeAttribute(node, "i");
      const tip = state.style && state.style.tip ? state.style.tip[i] : null;
      if (!tip) return;
      tooltip.textContent = tip;
      tooltip.style.left = `${event.x + 12}px`;
      tooltip.style.top = `${event.y + 12}px`;
      tooltip.style.display = "block";
    });
    renderer.on("leaveNode", () => { tooltip.style.display = "none"; });
    renderer.on("clickNode", ({ node }) => select(graph.getNodeAttribute(node, "i")));
    renderer.on("clickStage", () => select(null));
    state.renderer = renderer;
    probe.renderer = renderer;
    probe.graph = graph;
    probe.webgl = !!(renderer.webGLContexts && renderer.webGLContexts.nodes);
  }

  function select(i) {
    state.selected = i;
    if (state.renderer) state.renderer.refresh({ skipIndexation: false });
    if (options.showProfile) {
      profileBox.textContent = "";
      if (i !== null && state.style && state.style.tip) {
        profileBox.append(el("strong", null, "Selected"), el("div", null, state.style.tip[i]));
        probe.profile = profileBox.textContent;
      }
    }
    probe.selected = i;
    if (options.onSelect) options.onSelect(i, state.graphKey);
  }

  // Tools -------------------------------------------------------------------------------

  function runSearch(text) {
    const query = String(text || "").trim().toLowerCase();
    const s = state.style;
    if (!query || !s) {
      state.highlight = null;
      found.textContent = "";
    } else {
      const hits = new Set();
      const n = s.color.length;
      for (let i = 0; i < n; i++) {
        if (state.hidden && state.hidden[i]) continue;
        const label = s.label && s.label[i] ? String(s.label[i]).toLowerCase() : "";
        const group = s.category && s.category[i] ? String(s.category[i]).toLowerCase() : "";
        if (label.includes(query) || group.includes(query)) hits.add(i);
      }
      state.highlight = hits;
      found.textContent = hits.size ? `${hits.size} found` : "None found";
    }
    probe.found = state.highlight ? state.highlight.size : null;
    if (state.renderer) state.renderer.refresh();
  }

  function setLabelSize(size) {
    state.labelSize = size;
    labelSize.value = String(size);
    if (state.renderer) state.renderer.setSetting("labelSize", size);
  }

  function exportPNG() {
    const renderer = state.renderer;
    if (!renderer) return null;
    renderer.refresh(); // draws synchronously, so the WebGL buffers are still readable below
    const canvases = renderer.getCanvases();
    const first = canvases.nodes;
    const out = el("canvas");
    out.width = first.width;
    out.height = first.height;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#FFFFFF";
    ctx.fillRect(0, 0, out.width, out.height);
    for (const id of ["annotations", "edges", "edgeLabels", "nodes", "labels", "hovers", "hoverNodes"]) {
      if (canvases[id]) ctx.drawImage(canvases[id], 0, 0, out.width, out.height);
    }
    const url = out.toDataURL("image/png");
    probe.lastExport = { type: "png", size: url.length, head: url.slice(0, 22), width: out.width, height: out.height };
    fetchless(url, "image/png", (blob) => download(blob, "onatool-map.png"));
    return probe.lastExport;
  }

  function fetchless(dataUrl, type, done) {
    const bytes = atob(dataUrl.split(",")[1]);
    const array = new Uint8Array(bytes.length);
    for (let k = 0; k < bytes.length; k++) array[k] = bytes.charCodeAt(k);
    done(new Blob([array], { type }));
  }

  function exportSVG() {
    const renderer = state.renderer;
    const graph = state.graph;
    if (!renderer || !graph) return null;
    const NS = "http://www.w3.org/2000/svg";
    const { width, height } = renderer.getDimensions();
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("xmlns", NS);
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const add = (parent, tag, attrs, text) => {
      const node = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
      if (text !== undefined) node.textContent = String(text);
      parent.appendChild(node);
      return node;
    };
    add(svg, "rect", { x: 0, y: 0, width, height, fill: "#FFFFFF" });
    const inView = (p) => p.x >= -20 && p.y >= -20 && p.x <= width + 20 && p.y <= height + 20;
    const edges = add(svg, "g", { "stroke-linecap": "round" });
    graph.forEachEdge((edge, attrs, source, target) => {
      const a = renderer.getNodeDisplayData(source);
      const b = renderer.getNodeDisplayData(target);
      if (!a || !b || a.hidden || b.hidden) return;
      const p = renderer.framedGraphToViewport(a);
      const q = renderer.framedGraphToViewport(b);
      if (!inView(p) && !inView(q)) return;
      const shown = renderer.getEdgeDisplayData(edge) || attrs;
      add(edges, "line", { x1: p.x.toFixed(1), y1: p.y.toFixed(1), x2: q.x.toFixed(1), y2: q.y.toFixed(1),
        stroke: shown.color, "stroke-width": Math.max(0.5, renderer.scaleSize(shown.size)).toFixed(2) });
    });
    const nodes = add(svg, "g", {});
    const labels = add(svg, "g", { "font-family": "sans-serif", "font-size": state.labelSize, fill: "#000" });
    graph.forEachNode((node) => {
      const d = renderer.getNodeDisplayData(node);
      if (!d || d.hidden) return;
      const p = renderer.framedGraphToViewport(d);
      if (!inView(p)) return;
      const r = Math.max(1, renderer.scaleSize(d.size));
      const style = { fill: d.color, stroke: d.borderColor || "#333", "stroke-width": d.borderSize || 1 };
      if (d.shape === "square") add(nodes, "rect", { x: p.x - r * 0.8, y: p.y - r * 0.8, width: 1.6 * r, height: 1.6 * r, ...style });
      else if (d.shape === "triangle") add(nodes, "polygon", { points: `${p.x},${p.y - r} ${p.x + 0.87 * r},${p.y + 0.5 * r} ${p.x - 0.87 * r},${p.y + 0.5 * r}`, ...style });
      else if (d.shape === "diamond") add(nodes, "polygon", { points: `${p.x},${p.y - r} ${p.x + r},${p.y} ${p.x},${p.y + r} ${p.x - r},${p.y}`, ...style });
      else add(nodes, "circle", { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: r.toFixed(2), ...style });
      if (d.label) add(labels, "text", { x: (p.x + r + 2).toFixed(1), y: (p.y + 4).toFixed(1) }, d.label);
    });
    const text = new XMLSerializer().serializeToString(svg);
    probe.lastExport = { type: "svg", size: text.length, head: text.slice(0, 40), text };
    download(new Blob([text], { type: "image/svg+xml" }), "onatool-map.svg");
    return probe.lastExport;
  }

  // Panels -------------------------------------------------------------------------------

  function drawLegend(legend, notes) {
    legendBox.textContent = "";
    let section = null;
    for (const entry of legend || []) {
      if (entry.section !== section) {
        section = entry.section;
        legendBox.appendChild(el("div", { fontWeight: "600", margin: "8px 0 2px" }, section));
      }
      const row = el("div", { display: "flex", alignItems: "center", gap: "6px", margin: "2px 0" });
      const chip = el("span", { display: "inline-block", width: "22px", height: "10px", borderRadius: "5px",
        flex: "0 0 auto", border: "1px solid #333" });
      if (entry.kind === "colour") chip.style.background = entry.colour;
      else if (entry.kind === "line" || entry.kind === "arrow") {
        Object.assign(chip.style, { height: "0", borderRadius: "0", border: "none",
          borderTop: `${Math.max(1, entry.width || 2)}px ${entry.dashes ? "dashed" : "solid"} ${entry.colour}` });
      } else chip.style.background = entry.kind === "border" ? "#fff" : "#9A9A9A";
      row.append(chip, el("span", { overflowWrap: "anywhere", minWidth: "0" }, entry.label));
      legendBox.appendChild(row);
    }
    notesBox.textContent = "";
    for (const note of notes || []) notesBox.appendChild(el("p", { margin: "4px 0", overflowWrap: "anywhere" }, note));
  }

  // The one entry point ------------------------------------------------------------------

  function update(payload) {
    probe.pendingSince = performance.now();
    probe.updates += 1;
    if (payload.labelSize) setLabelSize(payload.labelSize);
    if ("workshop" in payload) state.workshop = !!payload.workshop;
    if (payload.graph && payload.graphKey !== state.graphKey) {
      state.graphKey = payload.graphKey;
      state.graph = buildGraph(payload.graph);
      state.highlight = null;
      state.selected = null;
      probe.nodeCount = state.graph.order;
      probe.edgeCount = state.graph.size;
      probe.graphKey = state.graphKey;
      state.style = payload.style || state.style;
      state.annotations = payload.annotations || [];
      mountRenderer(state.graph);
    } else if (payload.graphKey !== state.graphKey) {
      if (options.onNeedGraph) options.onNeedGraph(payload.graphKey);
      return;
    }
    if (payload.style) state.style = payload.style;
    if (payload.annotations) state.annotations = payload.annotations;
    if ("hidden" in payload) {
      const n = state.graph.order;
      const mask = new Uint8Array(n);
      for (const i of payload.hidden || []) if (i >= 0 && i < n) mask[i] = 1;
      state.hidden = mask;
      probe.hiddenCount = (payload.hidden || []).length;
    }
    if (payload.legend || payload.notes) drawLegend(payload.legend, payload.notes);
    if (search.value) runSearch(search.value);
    if (state.renderer) state.renderer.refresh();
  }

  Object.assign(probe, { state, update, search: (t) => { search.value = t; runSearch(t); }, exportPNG, exportSVG,
    setLabelSize, select });
  return { update };
}
