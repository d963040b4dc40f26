// Route maps: country shapes from the bundled world-atlas TopoJSON, route legs from the API.
// Works offline; an online tile layer is added only when the deployment sets one.
(function () {
  "use strict";
  var PALETTE = ["#7e3faf", "#e97a2e", "#2b7cc9", "#3fa64a", "#c13838", "#a0761d", "#1b9e9e", "#d1479b", "#5c6bc0", "#6d8c00"];

  // Leaflet reads a string given to bindTooltip/bindPopup as HTML: data goes in as a text node.
  function asText(value) {
    var span = document.createElement("span");
    span.textContent = String(value);
    return span;
  }

  function colourFor(routeId, order) {
    var i = order.indexOf(routeId);
    return PALETTE[(i < 0 ? order.length : i) % PALETTE.length];
  }

  function drawCountries(map, url) {
    return fetch(url).then(function (r) { return r.json(); }).then(function (topo) {
      var land = topojson.feature(topo, topo.objects.countries);
      L.geoJSON(land, {
        interactive: false,
        style: { color: "#9aa5b1", weight: 0.6, fillColor: "#f3f1ea", fillOpacity: 1 }
      }).addTo(map);
    });
  }

  function drawRoutes(map, el, data) {
    var collection = data.type === "FeatureCollection" ? data : data.geometry;
    var order = [];
    collection.features.forEach(function (f) {
      if (order.indexOf(f.properties.route_id) < 0) { order.push(f.properties.route_id); }
    });
    order.sort();
    var flows = el.dataset.flows ? JSON.parse(el.dataset.flows) : null;  // C3: latest month's flow
    var top = flows ? Math.max.apply(null, Object.values(flows).concat([1])) : 1;
    function weightFor(f) {
      var base = f.properties.mode === "sea" ? 4 : 3;
      if (!flows) { return base; }
      var v = flows[f.properties.route_id];
      return v === undefined ? 2 : 2 + 10 * Math.sqrt(v / top);
    }
    var layer = L.geoJSON(collection, {
      style: function (f) {
        return {
          color: colourFor(f.properties.route_id, order),
          weight: weightFor(f),
          dashArray: f.properties.mode === "sea" ? "8 6" : null,
          opacity: 0.9,
          className: "route-line route-" + f.properties.route_id
        };
      },
      onEachFeature: function (f, line) {
        var link = document.createElement("a");
        link.href = el.dataset.routePage + f.properties.route_id + "?lang=" + el.dataset.lang;
        link.textContent = f.properties.route_name;
        line.bindTooltip(asText(f.properties.route_name), { sticky: true });
        line.bindPopup(link);
      }
    }).addTo(map);
    if (collection.features.length) { map.fitBounds(layer.getBounds(), { padding: [20, 20] }); }
    order.forEach(function (id) {
      document.querySelectorAll('[data-route-swatch="' + CSS.escape(id) + '"]').forEach(function (s) {
        s.style.background = colourFor(id, order);
      });
    });
    el.dataset.routesDrawn = String(order.length);
    el.dataset.routeIds = order.join(" ");
  }

  // C3: dead-and-missing incidents by grid cell, clustered where dense (leaflet.markercluster)
  function drawPoints(map, el) {
    return fetch(el.dataset.points).then(function (r) { return r.json(); }).then(function (data) {
      if (!map.options.maxZoom) { map.setMaxZoom(12); }  // clustering needs a zoom ceiling
      // a group shows the dead and missing of its points (what the caption says), not how many
      // grid cells it holds; a point hidden as "<5" makes the group's figure a lower bound ("+")
      var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
      var cluster = L.markerClusterGroup({
        maxClusterRadius: 40,
        iconCreateFunction: function (group) {
          var total = 0, hidden = false;
          group.getAllChildMarkers().forEach(function (m) {
            if (m.options.suppressed) { hidden = true; } else { total += m.options.deadAndMissing || 0; }
          });
          var size = total < 100 ? "small" : total < 1000 ? "medium" : "large";
          return L.divIcon({
            html: "<div><span>" + numbers.format(total) + (hidden ? "+" : "") + "</span></div>",
            className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40)
          });
        }
      });
      data.features.forEach(function (f) {
        var c = f.geometry.coordinates, n = f.properties.dead_and_missing;
        var marker = L.circleMarker([c[1], c[0]], {
          radius: 5, color: "#8b1a1a", fillColor: "#c13838", fillOpacity: 0.8, weight: 1,
          className: "incident-point", deadAndMissing: n, suppressed: f.properties.suppressed
        });
        marker.bindTooltip(asText(f.properties.suppressed ? "<5" : n));
        cluster.addLayer(marker);
      });
      map.addLayer(cluster);
      el.dataset.pointsDrawn = String(data.features.length);
    });
  }

  // C11: risk observations along the route (0.5° cells for the public), drawn as squares
  function drawRiskPoints(map, el) {
    return fetch(el.dataset.riskPoints).then(function (r) { return r.json(); }).then(function (data) {
      data.features.forEach(function (f) {
        var c = f.geometry.coordinates, p = f.properties;
        var marker = L.marker([c[1], c[0]], {
          icon: L.divIcon({ className: "risk-point", iconSize: [10, 10] }),
          keyboard: false
        });
        marker.bindTooltip(asText(p.label + " · " + p.date_from));
        marker.addTo(map);
      });
      el.dataset.riskPointsDrawn = String(data.features.length);
    });
  }

  function init(el) {
    var map = L.map(el, { worldCopyJump: true, zoomSnap: 0.5 }).setView([20, 20], 3);
    if (el.dataset.tileUrl) { L.tileLayer(el.dataset.tileUrl, { maxZoom: 12 }).addTo(map); }
    var countries = el.dataset.tileUrl ? Promise.resolve() : drawCountries(map, el.dataset.countries);
    countries
      .then(function () { return fetch(el.dataset.routes); })
      .then(function (r) { return r.json(); })
      .then(function (data) { drawRoutes(map, el, data); })
      .then(function () { return el.dataset.points && L.markerClusterGroup ? drawPoints(map, el) : null; })
      .then(function () { return el.dataset.riskPoints ? drawRiskPoints(map, el) : null; })
      .catch(function (err) {
        el.dataset.error = String(err);
        el.insertAdjacentHTML("afterend", '<p class="error" role="alert">Map could not be drawn.</p>');
      });
  }

  document.querySelectorAll(".map[data-routes]").forEach(init);
})();
