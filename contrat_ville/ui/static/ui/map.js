/* The platform's Leaflet maps, one way: the data comes from a json_script element, no base map unless the
 * data names a tile URL (the platform works offline), French zoom buttons, the view fitted to the first layer
 * with a valid extent (else France). Sets data-map-ready="true" on the container once drawn.
 *
 * Usage: ContratVilleMap.mount("container-id", "data-id", function (map, data) { return [layer, …]; }); */
(function () {
  "use strict";

  function draw(containerId, dataId, addLayers) {
    var container = document.getElementById(containerId);
    var dataElement = document.getElementById(dataId);
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

    var bounds = null;
    addLayers(map, data).some(function (layer) {
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

  function mount(containerId, dataId, addLayers) {
    var init = function () {
      draw(containerId, dataId, addLayers);
    };
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", init);
    } else {
      init();
    }
  }

  window.ContratVilleMap = { mount: mount };
})();
