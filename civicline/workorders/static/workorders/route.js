// The field worker's route on a map: numbered stops in the order of the list, joined by a
// line. The list stays the way to work; the map is for orientation.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var element = document.getElementById("field-map");
  if (!element || typeof L === "undefined") return;
  var conf = JSON.parse(document.getElementById("map-settings").textContent);
  var stops = JSON.parse(document.getElementById("route-stops").textContent);
  L.Icon.Default.imagePath = conf.images;
  var map = L.map(element).setView([conf.lat, conf.lng], conf.zoom);
  L.tileLayer(conf.tiles, { maxZoom: 19, attribution: conf.attribution }).addTo(map);
  var points = stops.map(function (stop) {
    var marker = L.marker([stop.lat, stop.lng]).addTo(map);
    marker.bindTooltip(stop.label, { permanent: true, direction: "right" });
    marker.on("click", function () { window.location.href = stop.url; });
    return [stop.lat, stop.lng];
  });
  if (points.length > 1) L.polyline(points, { weight: 3 }).addTo(map);
  if (points.length) map.fitBounds(points, { padding: [30, 30], maxZoom: 17 });
});
