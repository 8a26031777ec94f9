// pacov planning page: sketches drawn with Leaflet-Geoman are scored by POST /api/evaluate after every change.
// Every text from data or the server goes in through textContent, never innerHTML.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var config = JSON.parse(document.getElementById("pacov-config").textContent);
  var map = Object.values(window).find(function (v) { return v instanceof L.Map; });
  var sketches = L.featureGroup().addTo(map);
  var candidateLayers = {};
  var counter = 0, sequence = 0, timer = null;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function ha(v) { return Math.round(v).toLocaleString("en-US"); }
  function pct(v) { return (100 * v).toFixed(2) + "%"; }
  function signed(v, unit) { return (v >= 0 ? "+" : "") + v.toLocaleString("en-US", {maximumFractionDigits: unit ? 3 : 0}) + (unit ? " " + unit : ""); }
  function table(head, rows) {
    var t = el("table"), tr = el("tr");
    head.forEach(function (h) { tr.appendChild(el("th", h)); });
    t.appendChild(tr);
    rows.forEach(function (r) {
      var row = el("tr");
      r.forEach(function (c) { row.appendChild(c instanceof Node ? wrap(c) : el("td", String(c))); });
      t.appendChild(row);
    });
    return t;
  }
  function wrap(node) { var td = el("td"); td.appendChild(node); return td; }
  function delta(v, unit) { return el("span", signed(v, unit), v > 0 ? "pacov-gain" : v < 0 ? "pacov-loss" : ""); }

  function nameOf(layer) {
    if (!layer.pacovName) { counter += 1; layer.pacovName = "sketch-" + counter; }
    return layer.pacovName;
  }
  function features() {
    var out = [];
    sketches.eachLayer(function (layer) {
      var f = layer.toGeoJSON();
      f.properties = {name: nameOf(layer)};
      out.push(f);
    });
    return out;
  }
  function chosen() {
    return config.candidates.filter(function (c) { return $("pacov-cand-" + c.index).checked; }).map(function (c) { return c.id; });
  }
  function request() {
    return JSON.stringify({sketches: {type: "FeatureCollection", features: features()}, candidates: chosen()});
  }
  function post(path, body, type) {
    return fetch(path, {method: "POST", body: body, headers: {"Content-Type": type || "application/json"}}).then(function (r) {
      if (r.ok) return r;
      return r.json().catch(function () { return {error: "HTTP " + r.status}; }).then(function (j) { throw new Error(j.error || ("HTTP " + r.status)); });
    });
  }
  function fail(err) { $("pacov-error").textContent = err.message; $("pacov-status").textContent = ""; }

  function schedule() { clearTimeout(timer); timer = setTimeout(evaluate, 150); }
  function evaluate() {
    var mine = ++sequence, body = request();
    $("pacov-status").textContent = "Scoring…";
    post("api/evaluate?protconn=false", body).then(function (r) { return r.json(); }).then(function (answer) {
      if (mine !== sequence) return;
      $("pacov-error").textContent = "";
      render(answer);
      $("pacov-status").textContent = "Scored " + answer.sketches.length + " addition(s); ProtConn updating…";
      return post("api/protconn", body).then(function (r) { return r.json(); }).then(function (pc) {
        if (mine !== sequence) return;
        renderProtconn(pc.protconn);
        $("pacov-status").textContent = "Up to date.";
      });
    }).catch(function (err) { if (mine === sequence) fail(err); });
  }

  function render(a) {
    var sp = $("pacov-species"); sp.textContent = "";
    sp.appendChild(table(["Species", "Common name", "Range (ha)", "Protected (ha)", "Share", "Change (ha)", "Gap status", "SPS"], a.species.map(function (s) {
      return [s.species, s.common_name, ha(s.range_ha), ha(s.protected_ha), pct(s.protected_share), delta(s.delta_ha, ""), s.gap_status, s.sps.toFixed(0)];
    })));
    var ind = a.indicator, box = $("pacov-indicator"); box.textContent = "";
    var rows = [["Computed (" + ind.region + ")", ha(ind.protected_ha), pct(ind.share), delta(ind.delta_ha, "")]];
    ind.official.forEach(function (f) { rows.push(["Official: " + f.label, ha(f.protected_ha), pct(f.share), ""]); });
    ind.targets.forEach(function (f) { rows.push(["Target: " + f.label, ha(f.protected_ha), pct(f.share), ha(f.remaining_ha) + " to go"]); });
    box.appendChild(table(["Land protected", "Area (ha)", "Share", "Change / left (ha)"], rows));
    var sk = $("pacov-sketches"); sk.textContent = "";
    var species = a.species.map(function (s) { return s.species; });
    sk.appendChild(table(["Addition", "Newly designated (ha)"].concat(species), a.sketches.map(function (s) {
      return [s.id, ha(s.designated_ha)].concat(species.map(function (n) { return ha(s.gains[n] || 0); }));
    })));
    $("pacov-note").textContent = a.repaired.length ? "Repaired (self-intersecting, made valid as every input is): " + a.repaired.join(", ") : "";
  }
  function renderProtconn(rows) {
    var box = $("pacov-protconn"); box.textContent = "";
    box.appendChild(table(["Region", "Distance", "ProtConn", "Change"], rows.map(function (r) {
      return [r.region, (r.distance_m / 1000) + " km", r.protconn.toFixed(3) + "%", delta(r.delta, "pp")];
    })));
  }

  function watch(layer) { layer.on("pm:edit pm:dragend", schedule); }
  map.pm.addControls({position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false, drawCircle: false,
    drawText: false, cutPolygon: false, rotateMode: false, drawRectangle: true, drawPolygon: true, editMode: true, dragMode: true, removalMode: true});
  map.pm.setGlobalOptions({layerGroup: sketches, snappable: false});
  map.on("pm:create", function (e) { nameOf(e.layer); watch(e.layer); schedule(); });
  map.on("pm:drawstart", function () { map.getContainer().classList.add("pacov-drawing"); });
  map.on("pm:drawend", function () { map.getContainer().classList.remove("pacov-drawing"); });
  map.on("pm:remove", schedule);

  config.candidates.forEach(function (c) {
    var label = el("label"), box = el("input");
    box.type = "checkbox"; box.id = "pacov-cand-" + c.index;
    candidateLayers[c.id] = L.geoJSON(c.geometry, {style: config.candidate_style, pmIgnore: true});
    box.addEventListener("change", function () {
      if (box.checked) candidateLayers[c.id].addTo(map); else map.removeLayer(candidateLayers[c.id]);
      schedule();
    });
    label.appendChild(box); label.appendChild(document.createTextNode(" " + c.name));
    $("pacov-candidates").appendChild(label);
  });

  $("pacov-upload").addEventListener("change", function (e) {
    var file = e.target.files[0];
    if (!file) return;
    file.arrayBuffer().then(function (bytes) { return post("api/upload", bytes, "application/octet-stream"); })
      .then(function (r) { return r.json(); }).then(function (fc) {
        L.geoJSON(fc).eachLayer(function (layer) {
          layer.pacovName = layer.feature.properties.name;
          sketches.addLayer(layer); watch(layer);
        });
        schedule();
      }).catch(fail);
    e.target.value = "";
  });
  function download(path, filename) {
    post(path, request()).then(function (r) { return r.blob(); }).then(function (blob) {
      var a = el("a"); a.href = URL.createObjectURL(blob); a.download = filename;
      document.body.appendChild(a); a.click(); a.remove();
    }).catch(fail);
  }
  $("pacov-export-scenario").addEventListener("click", function () { download("api/export/scenario", "sketches-scenario.zip"); });
  $("pacov-export-report").addEventListener("click", function () { download("api/export/report", "sketches-report.html"); });
  evaluate();
});
