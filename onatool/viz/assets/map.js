/* onatool map: draws the JSON in #onatool-map-data with vis-network; no network access. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("onatool-map-data").textContent);

  // Tooltips as text nodes, never markup, whatever the text holds.
  function tip(text) {
    var el = document.createElement("div");
    el.textContent = text;
    return el;
  }
  // Hovered or selected people keep their colour and get a black border.
  data.nodes.forEach(function (n) {
    if (n.color) {
      n.color.highlight = { background: n.color.background, border: "#000000" };
      n.color.hover = n.color.highlight;
    }
  });
  [data.nodes, data.edges].forEach(function (items) {
    items.forEach(function (item) {
      if (typeof item.title === "string") { item.title = tip(item.title); }
    });
  });

  var big = data.edges.length > 5000;
  var options = {
    autoResize: true,
    physics: false,
    layout: { improvedLayout: false, randomSeed: 0 },
    interaction: {
      hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
      keyboard: false, navigationButtons: false, multiselect: false
    },
    nodes: {
      font: { size: 14, face: "system-ui, Arial, sans-serif", color: "#222222", strokeWidth: 3, strokeColor: "#ffffff" },
      borderWidthSelected: 4
    },
    edges: {
      smooth: false,
      color: { inherit: false, opacity: 0.6 },
      arrows: { to: { scaleFactor: 0.45 } },
      selectionWidth: 1.5,
      hoverWidth: 0.5
    }
  };
  var container = document.getElementById("onatool-map");
  var network = new vis.Network(
    container,
    { nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) },
    options
  );

  window.onatoolMap = {
    network: network,
    nodeCount: data.nodes.length,
    edgeCount: data.edges.length,
    drawn: false,
    drawnAt: null
  };

  // Annotations (e.g. level band names) drawn as canvas text behind the people.
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    ctx.fillStyle = "#6b6b6b";
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    data.annotations.forEach(function (a) {
      ctx.font = "600 " + a.size + "px system-ui, Arial, sans-serif";
      ctx.fillText(a.text, a.x, a.y);
    });
    ctx.restore();
  });
  // Fit the view to the people and the annotations together (vis fits people only).
  if (data.annotations.length && data.nodes.length) {
    var box = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    data.nodes.forEach(function (n) {
      box.left = Math.min(box.left, n.x - n.size); box.right = Math.max(box.right, n.x + n.size);
      box.top = Math.min(box.top, n.y - n.size); box.bottom = Math.max(box.bottom, n.y + n.size);
    });
    data.annotations.forEach(function (a) {
      box.left = Math.min(box.left, a.x); box.right = Math.max(box.right, a.x + 0.6 * a.size * a.text.length);
      box.top = Math.min(box.top, a.y); box.bottom = Math.max(box.bottom, a.y + a.size);
    });
    var scale = 0.95 * Math.min(
      container.clientWidth / Math.max(box.right - box.left, 1),
      container.clientHeight / Math.max(box.bottom - box.top, 1)
    );
    network.moveTo({
      position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
      scale: scale, animation: false
    });
  }
  network.once("afterDrawing", function () {
    window.onatoolMap.drawn = true;
    window.onatoolMap.drawnAt = performance.now();
  });
})();
