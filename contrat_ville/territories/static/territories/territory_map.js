// Draws the territory's GeoJSON (from the json_script tag) with Leaflet. No base map unless the
// container says which tile server to use: the platform must work offline.
(function () {
  "use strict";
  var container = document.getElementById("territory-map");
  var source = document.getElementById("territory-geojson");
  if (!container || !source || typeof L === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  if (!data.features || data.features.length === 0) {
    return;
  }
  container.hidden = false;
  var map = L.map(container, { scrollWheelZoom: false, attributionControl: Boolean(container.dataset.tileUrl) });
  if (container.dataset.tileUrl) {
    L.tileLayer(container.dataset.tileUrl, { attribution: container.dataset.tileAttribution || "" }).addTo(map);
  }
  var colours = { qpv: "#e1000f", iris: "#6a6af4", commune: "#000091", epci: "#000091" };
  var layer = L.geoJSON(data, {
    style: function (feature) {
      var main = feature.id === data.features[0].id;
      return {
        color: colours[feature.properties.kind] || "#000091",
        weight: main ? 3 : 2,
        fillOpacity: main ? 0.1 : 0.3,
      };
    },
    onEachFeature: function (feature, featureLayer) {
      var label = document.createElement("span");
      label.textContent = feature.properties.name + " (" + feature.properties.code + ")";
      featureLayer.bindTooltip(label);
    },
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [10, 10] });
})();
