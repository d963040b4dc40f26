// Service maps (C5): clustered service points with a panel each; a route's coverage, gaps
// and proposed hub sites. Country shapes come from the bundled world-atlas, offline.
(function () {
  "use strict";

  function baseMap(el) {
    var map = L.map(el, { worldCopyJump: true, zoomSnap: 0.5, maxZoom: 18 }).setView([20, 20], 3);
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { maxZoom: 14 }).addTo(map);
      return { map: map, ready: Promise.resolve() };
    }
    var ready = fetch(el.dataset.countries).then(function (r) { return r.json(); }).then(function (topo) {
      L.geoJSON(topojson.feature(topo, topo.objects.countries), {
        interactive: false, style: { color: "#9aa5b1", weight: 0.6, fillColor: "#f3f1ea", fillOpacity: 1 }
      }).addTo(map);
    });
    return { map: map, ready: ready };
  }

  // Leaflet reads a string given to bindTooltip/bindPopup as HTML: data goes in as text nodes.
  function text(tag, value, cls) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (cls) { node.className = cls; }
    return node;
  }

  function panel(props, lang) {
    var box = document.createElement("div");
    box.className = "point-panel";
    var link = text("a", props.name);
    link.href = "/services/points/" + props.id + "?lang=" + lang;
    link.dir = "auto";
    box.appendChild(link);
    box.appendChild(text("div", (props.organisations || []).join(", "), "meta"));
    box.appendChild(text("div", (props.service_types || []).join(", ")));
    var status = props.status + (props.stale ? " · stale" : "");
    box.appendChild(text("div", status, props.stale ? "stale-mark" : "meta"));
    return box;
  }

  function pointMarker(f, lang) {
    var c = f.geometry.coordinates;
    var marker = L.circleMarker([c[1], c[0]], {
      radius: 6, weight: 2, color: f.properties.stale ? "#8a8f98" : "#0b5ea8",
      dashArray: f.properties.stale ? "3 3" : null, fillOpacity: 0.7,
      fillColor: f.properties.stale ? "#d5d9de" : "#4a90d9"
    });
    marker.bindPopup(panel(f.properties, lang));
    return marker;
  }

  function drawRoute(map, url) {
    return fetch(url).then(function (r) { return r.json(); }).then(function (route) {
      return L.geoJSON(route.geometry, { style: { color: "#7e3faf", weight: 3, opacity: 0.8 } }).addTo(map);
    });
  }

  function initPoints(el) {
    var base = baseMap(el);
    var lang = el.dataset.lang;
    base.ready
      .then(function () { return fetch(el.dataset.points); })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
        var located = data.features.filter(function (f) { return f.geometry; });
        located.forEach(function (f) { cluster.addLayer(pointMarker(f, lang)); });
        base.map.addLayer(cluster);
        if (located.length) { base.map.fitBounds(cluster.getBounds(), { padding: [20, 20], maxZoom: 10 }); }
        el.dataset.pointsDrawn = String(located.length);
        var update = function () {
          el.dataset.clustersShown = String(el.querySelectorAll(".marker-cluster").length);
        };
        base.map.on("zoomend moveend", update);
        setTimeout(update, 50);
        if (el.dataset.routes) { return drawRoute(base.map, el.dataset.routes); }
      })
      .catch(function (err) {
        el.dataset.error = String(err);
        el.insertAdjacentHTML("afterend", '<p class="error" role="alert">Map could not be drawn.</p>');
      });
  }

  function initComplementarity(el) {
    var data = JSON.parse(document.getElementById("complementarity-data").textContent);
    var base = baseMap(el);
    var lang = el.dataset.lang;
    var gapLayer = L.layerGroup();
    function showType(code) {
      gapLayer.clearLayers();
      var coverage = data.coverage.filter(function (c) { return c.service_type === code; })[0];
      if (!coverage) { return; }
      coverage.gaps.forEach(function (g) {
        L.polyline([g.start, g.end], { color: "#c13838", weight: 6, opacity: 0.75, className: "gap-line" })
          .bindTooltip(text("span", code + ": " + g.length_km + " km")).addTo(gapLayer);
      });
      coverage.uncovered_hotspots.forEach(function (h) {
        L.circleMarker([h.lat, h.lon], { radius: 8, color: "#c13838", fillOpacity: 0.2, className: "hotspot" })
          .bindTooltip(text("span", h.label)).addTo(gapLayer);
      });
      el.dataset.serviceType = code;
      el.dataset.gapsDrawn = String(coverage.gaps.length);
      document.querySelectorAll("[data-service-type]").forEach(function (row) {
        row.classList.toggle("selected", row.dataset.serviceType === code);
      });
    }
    base.ready.then(function () {
      var legs = L.geoJSON(data.legs, { style: function (f) {
        return { color: "#7e3faf", weight: 3, dashArray: f.properties.mode === "sea" ? "8 6" : null };
      } }).addTo(base.map);
      if (data.legs.features.length) { base.map.fitBounds(legs.getBounds(), { padding: [20, 20] }); }
      data.points.forEach(function (f) { if (f.geometry) { pointMarker(f, lang).addTo(base.map); } });
      gapLayer.addTo(base.map);
      data.sites.forEach(function (s, i) {
        L.circleMarker([s.lat, s.lon], { radius: 10, color: "#3fa64a", weight: 3, fillOpacity: 0.5, className: "hub-site" })
          .bindTooltip(text("span", (i + 1) + ". " + s.label + " (+" + s.added_demand + ")"), { permanent: false })
          .addTo(base.map);
      });
      el.dataset.sitesDrawn = String(data.sites.length);
      if (data.coverage.length) { showType(data.coverage[0].service_type); }
      document.querySelectorAll("[data-show-type]").forEach(function (button) {
        button.addEventListener("click", function () { showType(button.dataset.showType); });
      });
      el.dataset.ready = "true";
    }).catch(function (err) { el.dataset.error = String(err); });
  }

  document.querySelectorAll(".map[data-points]").forEach(initPoints);
  var comp = document.getElementById("complementarity-map");
  if (comp) { initComplementarity(comp); }
})();
