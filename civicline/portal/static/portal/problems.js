// The public map of reported problems: the filtered feed's pins, clustered when zoomed out.
(function () {
  "use strict";

  function settings() {
    var node = document.getElementById("map-settings");
    return node ? JSON.parse(node.textContent) : null;
  }

  // Built from text nodes, never HTML: category names and references are data.
  function popup(props, more) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = props.reference + " · " + props.category;
    var status = document.createElement("div");
    // The date comes in the city's time as ISO 8601; shown as the pages show it, d.m.Y.
    var day = props.date.slice(0, 10).split("-").reverse().join(".");
    status.textContent = props.status_label + " · " + day;
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = more;
    box.append(title, status, link);
    return box;
  }

  function problemsMap(conf) {
    var element = document.getElementById("problems-map");
    if (!element) return;
    var message = document.getElementById("problems-map-status");
    var map = L.map(element).setView([conf.lat, conf.lng], conf.zoom);
    L.tileLayer(conf.tiles, { maxZoom: 19, attribution: conf.attribution }).addTo(map);
    var pins = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
    map.addLayer(pins);

    fetch(element.dataset.feed, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (feed) {
        var markers = feed.features.map(function (feature) {
          var c = feature.geometry.coordinates;
          var marker = L.marker([c[1], c[0]], { title: feature.properties.reference });
          marker.bindPopup(popup(feature.properties, element.dataset.more));
          return marker;
        });
        pins.addLayers(markers);
        if (markers.length) map.fitBounds(pins.getBounds(), { padding: [20, 20], maxZoom: 16 });
        element.dataset.loaded = String(markers.length);
      })
      .catch(function () {
        message.textContent = element.dataset.failed;
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var conf = settings();
    if (!conf || typeof L === "undefined" || !L.markerClusterGroup) return;
    L.Icon.Default.imagePath = conf.images;
    problemsMap(conf);
  });
})();
