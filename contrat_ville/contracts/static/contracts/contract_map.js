/* Map of a contract: the EPCI contour, its communes and the contract's QPVs, from the stored GeoJSON.
 * Data comes from the json_script element #contract-map-data. No base map unless a tile URL is set
 * (the platform works offline). Sets data-map-ready="true" on the container once drawn. */
(function () {
  "use strict";

  function init() {
    var container = document.getElementById("contract-map");
    var dataElement = document.getElementById("contract-map-data");
    if (!container || !dataElement || typeof L === "undefined") {
      return;
    }
    var data = JSON.parse(dataElement.textContent);
    var map = L.map(container, {
      zoomControl: false,
      attributionControl: Boolean(data.tiles),
      zoomSnap: 0.25,
    });
    L.control.zoom({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" }).addTo(map);

    if (data.tiles && data.tiles.url) {
      map.attributionControl.setPrefix("Leaflet");
      L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution || "", maxZoom: 19 }).addTo(map);
    }

    function tooltip(feature, layer) {
      var properties = feature.properties || {};
      var label = properties.name + " (" + properties.code + ")";
      if (properties.communes && properties.communes.length) {
        label += " — " + properties.communes.join(", ");
      }
      layer.bindTooltip(label, { sticky: true });
    }

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

    var bounds = null;
    [epciLayer, communesLayer, qpvLayer].some(function (layer) {
      if (layer && layer.getBounds().isValid()) {
        bounds = layer.getBounds();
        return true;
      }
      return false;
    });
    if (bounds) {
      map.fitBounds(bounds, { padding: [12, 12] });
    } else {
      map.setView([46.6, 2.4], 5);
    }
    container.setAttribute("data-map-ready", "true");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
