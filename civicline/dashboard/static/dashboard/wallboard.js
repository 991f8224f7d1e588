// The wallboard reloads every second; an agent's phone changing reloads it at once.
document.addEventListener("civicline:phone", function () {
  "use strict";
  if (window.htmx) htmx.trigger(document.body, "phone-changed");
});
