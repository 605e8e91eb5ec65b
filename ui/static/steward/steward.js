/* Small enhancements to the dataset form; everything also works without this script:
   focus the error summary, show only what the chosen classification needs, add rows
   without a round trip, filter long lists of choices, suggest a short name from the title. */
(function () {
  "use strict";
  var form = document.querySelector("[data-dataset-form]");
  var summary = document.getElementById("error-summary");
  // Arriving from a problem's link on the task list: put the cursor in that field.
  var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
  if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) { target.focus(); }
  else if (summary) { summary.focus(); }
  if (!form) { return; }

  function setEnabled(element, enabled) {
    element.querySelectorAll("input, select, textarea, button").forEach(function (control) {
      control.disabled = !enabled;
    });
  }

  function applyClassification(value) {
    form.setAttribute("data-classification", value);
    form.querySelectorAll("[data-classes]").forEach(function (part) {
      var wanted = part.getAttribute("data-classes").split(" ").indexOf(value) !== -1;
      var filled = part.getAttribute("data-filled") === "true";
      var show = wanted || filled;
      part.hidden = !show;
      if (part.tagName === "FIELDSET") { part.disabled = !show; } else { setEnabled(part, show); }
    });
  }
  form.querySelectorAll("[data-classes]").forEach(function (part) {
    // A part shown for another classification holds values: keep it visible, lose nothing.
    var wanted = part.getAttribute("data-classes").split(" ")
      .indexOf(form.getAttribute("data-classification")) !== -1;
    if (!part.hidden && !wanted) { part.setAttribute("data-filled", "true"); }
  });
  form.querySelectorAll("input[name=classification]").forEach(function (radio) {
    radio.addEventListener("change", function () { if (radio.checked) { applyClassification(radio.value); } });
  });
  form.querySelectorAll("[data-no-js]").forEach(function (button) { button.hidden = true; });

  form.querySelectorAll("[data-repeat]").forEach(function (repeat) {
    var name = repeat.getAttribute("data-repeat");
    var add = repeat.querySelector("[data-add]");
    var template = repeat.querySelector("template[data-template]");
    var rows = repeat.querySelector("[data-rows]");
    var counter = form.querySelector('[data-rows-for="' + name + '"]');
    if (!add || !template || !rows || !counter) { return; }
    add.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(counter.value, 10) || 0;
      var html = template.innerHTML.split("__INDEX__").join(String(index));
      var holder = document.createElement("ol");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      var legend = row.querySelector("[data-row-legend]");
      if (legend) { legend.textContent = repeat.getAttribute("data-item-label") + " " + (index + 1); }
      rows.appendChild(row);
      counter.value = String(index + 1);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
  });

  form.querySelectorAll("[data-filter-for]").forEach(function (box) {
    var group = document.getElementById(box.getAttribute("data-filter-for"));
    var input = box.querySelector("input");
    box.hidden = false;
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      group.querySelectorAll(".choice").forEach(function (choice) {
        var text = choice.textContent.toLowerCase();
        var checked = choice.querySelector("input").checked;
        choice.hidden = query !== "" && text.indexOf(query) === -1 && !checked;
      });
    });
  });

  var slug = form.querySelector("[data-slug]");
  var title = form.querySelector("[data-title]");
  if (slug && title) {
    var touched = slug.value !== "";
    slug.addEventListener("input", function () { touched = true; });
    title.addEventListener("input", function () {
      if (touched) { return; }
      slug.value = title.value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
        .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 100);
    });
  }
})();
