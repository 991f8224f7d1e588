// Operator desk: a known caller's details fill the empty fields, so the operator only asks
// what is new.
document.addEventListener("htmx:afterSwap", function (event) {
  "use strict";
  // The swap replaces #caller itself, so look it up again.
  if (!event.detail.target || event.detail.target.id !== "caller") return;
  var caller = document.getElementById("caller");
  if (!caller || !caller.dataset.name) return;
  var form = caller.closest("form");
  var fill = function (name, value) {
    var field = form && form.elements[name];
    if (field && !field.value && value) field.value = value;
  };
  fill("name", caller.dataset.name);
  fill("email", caller.dataset.email);
  if (form && caller.dataset.language) form.elements.language.value = caller.dataset.language;
  if (form && caller.dataset.consent) form.elements.consent_to_contact.checked = true;
});

// The operator's phone: when a call rings at their seat, the register form takes the
// caller's number and looks up their history at once; the phone panel shows the call.
(function () {
  "use strict";
  function panel() { return document.getElementById("phone-panel"); }

  document.addEventListener("civicline:phone", function (event) {
    var change = event.detail, box = panel();
    if (!box || String(change.user) !== box.dataset.user) return;
    if (change.state === "ringing") ring(change, box);
    // The panel redraws after the caller's lookup has gone out: the history comes first.
    if (window.htmx) htmx.trigger(document.body, "phone-changed");
  });

  function ring(change, box) {
    var form = document.getElementById("register");
    var number = change.citizen || change.from;
    if (form && number && form.elements.phone.value !== number) {
      form.elements.phone.value = number;
      if (form.elements.channel) form.elements.channel.value = "phone";
      form.elements.phone.dispatchEvent(new Event("change", { bubbles: true }));
    }
    var notice = document.getElementById("live-notice");
    if (notice) {
      notice.textContent = box.dataset.ringing + " " + number + (change.queue ? " · " + change.queue : "");
      notice.hidden = false;
    }
  }

  // Time in state counts up, wrap-up counts down, between the panel's reloads.
  setInterval(function () {
    var box = panel();
    if (!box) return;
    box.querySelectorAll("[data-since-seconds]").forEach(function (node) {
      var s = Number(node.dataset.sinceSeconds) + 1;
      node.dataset.sinceSeconds = s;
      var m = Math.floor(s / 60), h = Math.floor(m / 60);
      var mm = h ? String(m % 60).padStart(2, "0") : String(m);
      node.textContent = (h ? h + ":" : "") + mm + ":" + String(s % 60).padStart(2, "0");
    });
    box.querySelectorAll("[data-countdown]").forEach(function (node) {
      var left = Math.max(0, Number(node.dataset.countdown) - 1);
      node.dataset.countdown = left;
      node.textContent = node.textContent.replace(/\d+ s$/, left + " s");
      if (left === 0 && window.htmx) htmx.trigger(document.body, "phone-changed");
    });
  }, 1000);
})();
