// The report form's draft. Keeps what was typed in this browser, so a lost
// connection or a closed tab loses nothing; when the browser is offline at
// the moment of sending, the form waits and sends itself once the
// connection returns. Files cannot be kept in a draft (they are chosen
// again after a closed tab). Without JavaScript the form works as plain
// HTML; this script only adds to it.
(function () {
  "use strict";
  var storage;
  try { storage = window.localStorage; } catch (e) { return; }
  if (!storage) return;

  // The page shown after a report was stored clears its draft.
  var done = document.querySelector("[data-clear-draft]");
  if (done) storage.removeItem("jembatan-draft-" + done.getAttribute("data-clear-draft"));

  var form = document.querySelector("form[data-draft]");
  if (!form) return;
  var key = "jembatan-draft-" + form.getAttribute("data-draft");
  var status = document.getElementById("draft-status");

  function fields() {
    return form.querySelectorAll(
      "input[name]:not([type=file]):not([type=hidden]):not([name=website]), textarea[name], select[name]"
    );
  }

  function tell(message) {
    if (!status || !message) return;
    status.textContent = message;
    status.hidden = false;
  }

  function save() {
    var data = {};
    fields().forEach(function (field) {
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) data[field.name] = field.value;
      } else {
        data[field.name] = field.value;
      }
    });
    try { storage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full: the form still works */ }
  }

  // Restores only into empty fields: a form the server sent back (refused,
  // with the typed values) already holds the newest text.
  function restore() {
    var data;
    try { data = JSON.parse(storage.getItem(key) || "null"); } catch (e) { data = null; }
    if (!data) return;
    var restored = false;
    fields().forEach(function (field) {
      if (!Object.prototype.hasOwnProperty.call(data, field.name)) return;
      if (field.type === "radio" || field.type === "checkbox") {
        if (data[field.name] === field.value && !field.checked) { field.checked = true; restored = true; }
      } else if (!field.value && data[field.name]) {
        field.value = data[field.name];
        restored = true;
      }
    });
    if (restored) tell(status && status.getAttribute("data-restored"));
  }

  restore();
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", function (event) {
    save();
    if (navigator.onLine === false) {
      event.preventDefault();
      tell(status && status.getAttribute("data-offline"));
      window.addEventListener("online", function () {
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }, { once: true });
    }
  });
})();
