/* Choropleth map of an indicator page (ui/map.js): QPVs or IRIS coloured by their class, from the stored GeoJSON
 * of the json_script element #indicator-map-data (colours and texts computed on the server: a territory under
 * statistical secrecy carries no number). The legend and the table of the page carry the same information. */
(function () {
  "use strict";

  window.ContratVilleMap.mount("indicator-map", "indicator-map-data", function (map, data) {
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
    return [layer];
  });
})();
