// The supervisor's map of cases: a heat layer of the filtered cases, or their pins
// clustered and coloured by status; a pin's popup is loaded from the server when opened.
(function () {
  "use strict";

  function settings() {
    var node = document.getElementById("map-settings");
    return node ? JSON.parse(node.textContent) : null;
  }

  // The feed's rows: [lat, lng, reference, status, status label].
  function pinIcon(status) {
    return L.divIcon({ className: "map-pin pin-" + status, iconSize: [14, 14] });
  }

  function popupUrl(element, reference) {
    return element.dataset.popup.replace(element.dataset.slot, encodeURIComponent(reference));
  }

  // The fragment is the server's own escaped HTML; a failure shows a line of text.
  function loadPopup(element, marker, reference) {
    var popup = marker.getPopup();
    if (popup.loaded) return;
    fetch(popupUrl(element, reference), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        popup.loaded = true;
        popup.setContent(html);
        // Photos arrive after the popup was placed: place it again so it stays in view.
        popup.getElement().querySelectorAll("img").forEach(function (img) {
          img.addEventListener("load", function () { popup.update(); });
        });
      })
      .catch(function () {
        var text = document.createElement("span");
        text.textContent = reference + ": " + element.dataset.popupFailed;
        popup.setContent(text);
      });
  }

  function pinsFor(element, rows) {
    var pins = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
    var icons = {};
    var markers = rows.map(function (row) {
      var status = row[3];
      icons[status] = icons[status] || pinIcon(status);
      var marker = L.marker([row[0], row[1]], { icon: icons[status], title: row[2] + " · " + row[4] });
      marker.bindPopup(element.dataset.loading, { maxWidth: 320, autoPanPadding: [20, 20] });
      marker.on("popupopen", function () { loadPopup(element, marker, row[2]); });
      return marker;
    });
    pins.addLayers(markers);
    return pins;
  }

  function caseMap(conf) {
    var element = document.getElementById("case-map");
    if (!element) return;
    var message = document.getElementById("case-map-status");
    var map = L.map(element).setView([conf.lat, conf.lng], conf.zoom);
    L.tileLayer(conf.tiles, { maxZoom: 19, attribution: conf.attribution }).addTo(map);

    fetch(element.dataset.feed, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (feed) {
        var rows = feed.points;
        var heat = L.heatLayer(
          rows.map(function (row) { return [row[0], row[1]]; }),
          { radius: 20, blur: 15, maxZoom: 17, minOpacity: 0.3 }
        ).addTo(map);
        // Tens of thousands of markers cost time: they are made when first asked for.
        var pins = L.layerGroup();
        var layers = {};
        layers[element.dataset.heat] = heat;
        layers[element.dataset.pins] = pins;
        L.control.layers(layers, null, { collapsed: false }).addTo(map);
        map.on("baselayerchange", function (event) {
          if (event.layer !== pins || pins.getLayers().length) return;
          pins.addLayer(pinsFor(element, rows));
        });
        if (rows.length) {
          map.fitBounds(L.latLngBounds(rows.map(function (row) { return [row[0], row[1]]; })),
                        { padding: [20, 20], maxZoom: 15 });
        }
        element.dataset.loaded = String(rows.length);
      })
      .catch(function () {
        message.textContent = element.dataset.failed;
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var conf = settings();
    if (!conf || typeof L === "undefined" || !L.markerClusterGroup || !L.heatLayer) return;
    L.Icon.Default.imagePath = conf.images;
    caseMap(conf);
  });
})();
