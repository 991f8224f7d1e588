// Live updates: the server pushes every case change this user may see (server-sent events);
// status badges change in place and an open case page reloads its history.
(function () {
  "use strict";
  var url = document.body.dataset.liveUrl;
  if (!url || !window.EventSource) return;
  var notice = document.getElementById("live-notice");
  var source = new EventSource(url);
  // A change of the operator's own phone (or any, for a supervisor's wallboard): the page
  // that shows phones decides what to do with it.
  source.addEventListener("phone", function (message) {
    document.dispatchEvent(new CustomEvent("civicline:phone", { detail: JSON.parse(message.data) }));
  });
  source.addEventListener("case", function (message) {
    var change = JSON.parse(message.data);
    document.querySelectorAll('[data-live-status="' + change.reference + '"]').forEach(function (badge) {
      badge.textContent = change.status_label;
      badge.className = "status status-" + change.status;
    });
    var timeline = document.querySelector('#timeline[data-case="' + change.reference + '"]');
    if (timeline && window.htmx) {
      htmx.trigger(document.body, "case-changed");
    }
    if (notice) {
      notice.textContent = change.notice;
      notice.hidden = false;
      clearTimeout(notice._timer);
      notice._timer = setTimeout(function () { notice.hidden = true; }, 6000);
    }
  });
})();
