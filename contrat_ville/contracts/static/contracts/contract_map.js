/* Map of a contract (ui/map.js): the EPCI contour, its communes and the contract's QPVs, from the stored GeoJSON
 * of the json_script element #contract-map-data. */
(function () {
  "use strict";

  function tooltip(feature, layer) {
    var properties = feature.properties || {};
    var label = properties.name + " (" + properties.code + ")";
    if (properties.communes && properties.communes.length) {
      label += " — " + properties.communes.join(", ");
    }
    layer.bindTooltip(label, { sticky: true });
  }

  window.ContratVilleMap.mount("contract-map", "contract-map-data", function (map, data) {
    var epciLayer = null;
    if (data.epci) {
      epciLayer = L.geoJSON(data.epci, {
        style: { color: "#000091", weight: 3, fillColor: "#000091", fillOpacity: 0.05 },
        onEachFeature: tooltip,
      }).addTo(map);
    }
    var communesLayer = L.geoJSON(data.communes, {
      style: { color: "#666666", weight: 1, fillOpacity: 0, dashArray: "4 3" },
      onEachFeature: tooltip,
    }).addTo(map);
    var qpvLayer = L.geoJSON(data.qpvs, {
      style: { color: "#ce0500", weight: 2, fillColor: "#ce0500", fillOpacity: 0.35 },
      onEachFeature: tooltip,
    }).addTo(map);
    return [epciLayer, communesLayer, qpvLayer];
  });
})();
