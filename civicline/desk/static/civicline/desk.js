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
