// Citizen portal maps: the report form's pin, and the tracking page's point.
(function () {
  "use strict";

  function settings() {
    var node = document.getElementById("map-settings");
    return node ? JSON.parse(node.textContent) : null;
  }

  function baseMap(element, conf, centre, zoom) {
    var map = L.map(element).setView(centre, zoom);
    L.tileLayer(conf.tiles, { maxZoom: 19, attribution: conf.attribution }).addTo(map);
    return map;
  }

  function reportForm(conf) {
    var element = document.getElementById("report-map");
    if (!element) return;
    var form = document.getElementById("report");
    var lat = form.elements.latitude, lng = form.elements.longitude;
    var status = document.getElementById("pin-status");
    var start = lat.value && lng.value ? [parseFloat(lat.value), parseFloat(lng.value)] : null;
    var map = baseMap(element, conf, start || [conf.lat, conf.lng], start ? 17 : conf.zoom);
    var marker = null;

    function place(latlng, announce) {
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng(), true); });
      } else {
        marker.setLatLng(latlng);
      }
      status.textContent = status.dataset.set + " " + lat.value + ", " + lng.value;
      // The "is this it?" list listens for this and asks for cases near the new pin.
      if (announce) document.body.dispatchEvent(new Event("pin-moved"));
    }

    status.textContent = status.dataset.none;
    if (start) place(L.latLng(start[0], start[1]), true);
    map.on("click", function (event) { place(event.latlng, true); });

    var locate = document.getElementById("locate");
    if (!navigator.geolocation) {
      locate.hidden = true;
    } else {
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (position) {
          var here = L.latLng(position.coords.latitude, position.coords.longitude);
          map.setView(here, 17);
          place(here, true);
        });
      });
    }

    // Anonymous: the contact fields are not sent, so they are not shown either.
    var anonymous = form.elements.anonymous, who = form.querySelector(".contact .who");
    function showContact() { who.hidden = anonymous.checked; }
    anonymous.addEventListener("change", showContact);
    showContact();
  }

  function casePoint(conf) {
    var element = document.getElementById("case-map");
    if (!element) return;
    var point = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lng)];
    L.marker(point).addTo(baseMap(element, conf, point, 17));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var conf = settings();
    if (!conf || typeof L === "undefined") return;
    L.Icon.Default.imagePath = conf.images;
    reportForm(conf);
    casePoint(conf);
  });
})();
