/* Choropleth map of an indicator page: QPVs or IRIS coloured by their class, from the stored GeoJSON.
 * Data comes from the json_script element #indicator-map-data (colours and texts computed on the server: a
 * territory under statistical secrecy carries no number). No base map unless a tile URL is set (the platform
 * works offline). The legend and the table of the page carry the same information. Sets data-map-ready="true"
 * on the container once drawn. */
(function () {
  "use strict";

  function init() {
    var container = document.getElementById("indicator-map");
    var dataElement = document.getElementById("indicator-map-data");
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

    var layer = L.geoJSON(data, {
      style: function (feature) {
        var properties = feature.properties || {};
        return {
          color: properties.masked ? "#3a3a3a" : "#161616",
          weight: 1,
          dashArray: properties.masked ? "3 3" : null,
          fillColor: properties.color || "#ffffff",
          fillOpacity: 0.85,
        };
      },
      onEachFeature: function (feature, item) {
        var properties = feature.properties || {};
        item.bindTooltip(properties.name + " (" + properties.code + ") : " + properties.text, { sticky: true });
      },
    }).addTo(map);

    if (layer.getBounds().isValid()) {
      map.fitBounds(layer.getBounds(), { padding: [12, 12] });
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
