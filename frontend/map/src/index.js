// Entry point. Two ways in, one map:
// * a standalone page (``onatool map``): the data is a JSON block, #onatool-data;
// * a Streamlit component: the data arrives by postMessage from the app's own page.
import { createMap } from "./map.js";

function standalone(block) {
  const payload = JSON.parse(block.textContent);
  const root = document.getElementById("onatool-root");
  const map = createMap(root, { showProfile: true, height: payload.height || 680 });
  map.update(payload);
}

function component() {
  // Streamlit's component protocol (API version 1), without its library.
  const send = (type, extra) => window.parent.postMessage({ isStreamlitMessage: true, type, ...extra }, "*");
  const root = document.getElementById("onatool-root");
  let value = { selected: null, need: null, seq: 0 };
  const report = (change) => {
    value = { ...value, ...change, seq: value.seq + 1 };
    send("streamlit:setComponentValue", { value, dataType: "json" });
  };
  let map = null;
  window.addEventListener("message", (event) => {
    // Only the page that framed us speaks to us.
    if (event.source !== window.parent) return;
    const data = event.data;
    if (!data || data.type !== "streamlit:render") return;
    const payload = data.args && data.args.payload;
    if (!payload) return;
    if (!map) {
      map = createMap(root, {
        height: payload.height || 620,
        onSelect: (i, graphKey) => report({ selected: i, selectedKey: graphKey }),
        onNeedGraph: (key) => report({ need: key }),
      });
    }
    map.update(payload);
    send("streamlit:setFrameHeight", { height: document.body.scrollHeight + 8 });
  });
  send("streamlit:componentReady", { apiVersion: 1 });
}

const block = document.getElementById("onatool-data");
if (block) standalone(block);
else component();
