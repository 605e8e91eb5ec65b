/* Small enhancements to the dataset form; everything also works without this script:
   focus the error summary, show only what the chosen classification needs, add rows
   without a round trip, find in long lists of choices, suggest a short name from the title. */
(function () {
  "use strict";
  var form = document.querySelector("[data-dataset-form]");
  var summary = document.getElementById("error-summary");
  // Arriving from a problem's link on the task list: put the cursor in that field.
  if (!form) { if (summary) { summary.focus(); } return; }

  // A long code list: the <select multiple> stays (it is what the form sends), hidden behind a
  // search box that shows up to MATCHES matching choices as checkboxes, and the chosen ones.
  var MATCHES = 20;
  function checkbox(select, option, id, onChange) {
    var item = document.createElement("div");
    item.className = "choice";
    var input = document.createElement("input");
    input.type = "checkbox";
    input.id = id;
    input.checked = option.selected;
    input.disabled = select.disabled;
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = option.text;
    input.addEventListener("change", function () { option.selected = input.checked; onChange(input); });
    item.appendChild(input);
    item.appendChild(label);
    return item;
  }
  function enhanceChooser(box) {
    var select = box.querySelector("select[multiple]");
    if (!select || box.getAttribute("data-ready") === "true") { return; }
    box.setAttribute("data-ready", "true");
    var how = box.querySelector(".chooser__how");
    if (how) { how.hidden = true; }
    var search = document.createElement("input");
    search.type = "search";
    search.id = select.id + "-filter";
    search.autocomplete = "off";
    search.disabled = select.disabled;
    search.setAttribute("placeholder", box.getAttribute("data-find") || "");
    var described = (select.getAttribute("aria-describedby") || "").replace(select.id + "-how", "").trim();
    if (described) { search.setAttribute("aria-describedby", described); }
    if (select.getAttribute("aria-invalid")) { search.setAttribute("aria-invalid", "true"); }
    var label = box.querySelector("label[for='" + select.id + "']");
    if (label) { label.htmlFor = search.id; }
    select.hidden = true;
    select.tabIndex = -1;
    var found = document.createElement("p");
    found.className = "hint";
    found.setAttribute("aria-live", "polite");
    var matches = document.createElement("div");
    matches.className = "chooser__matches";
    var chosenTitle = document.createElement("p");
    chosenTitle.className = "chooser__title";
    var chosen = document.createElement("div");
    chosen.className = "chooser__chosen";
    [search, found, matches, chosenTitle, chosen].forEach(function (part) { box.appendChild(part); });
    var FOLD_CHOSEN = 6;  // more chosen than this: folded behind one "Chosen: 12" line
    function showChosen() {
      var wasOpen = chosen.querySelector("details[open]") !== null;
      chosen.textContent = "";
      var picked = Array.prototype.filter.call(select.options, function (option) { return option.selected; });
      var holder = chosen;
      if (picked.length > FOLD_CHOSEN) {
        holder = document.createElement("details");
        holder.open = wasOpen;
        var line = document.createElement("summary");
        line.textContent = (box.getAttribute("data-chosen") || "") + " " + picked.length;
        holder.appendChild(line);
        chosen.appendChild(holder);
      }
      picked.forEach(function (option) {
        holder.appendChild(checkbox(select, option, select.id + "-s-" + option.index, function () {
          showChosen();
          showMatches();
          search.focus();
        }));
      });
      chosenTitle.hidden = picked.length > FOLD_CHOSEN;
      chosenTitle.textContent = box.getAttribute(picked.length ? "data-chosen" : "data-none") || "";
    }
    function showMatches() {
      matches.textContent = "";
      var query = search.value.trim().toLowerCase();
      if (!query) { found.textContent = ""; return; }
      var count = 0;
      Array.prototype.forEach.call(select.options, function (option, index) {
        var text = (option.text + " " + option.value).toLowerCase();
        if (count >= MATCHES || text.indexOf(query) === -1) { return; }
        count += 1;
        matches.appendChild(checkbox(select, option, select.id + "-m-" + index, showChosen));
      });
      found.textContent = (box.getAttribute("data-found") || "") + " " + count;
    }
    search.addEventListener("input", showMatches);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // Enter filters, never submits
    });
    showChosen();
  }
  function enhanceChoosers(root) { root.querySelectorAll("[data-chooser]").forEach(enhanceChooser); }
  enhanceChoosers(form);

  // Arriving from a problem's link (on the task list, or in the summary): the cursor goes
  // into that field, or into the search box of a long list.
  function focusField(id) {
    var target = document.getElementById(id);
    if (target && target.tagName === "SELECT" && target.hidden) {
      target = document.getElementById(id + "-filter");
    }
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) { target.focus(); return true; }
    return false;
  }
  document.querySelectorAll(".error-summary a[href^='#'], .guidance a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (focusField(link.getAttribute("href").slice(1))) { event.preventDefault(); }
    });
  });
  if (!(window.location.hash && focusField(window.location.hash.slice(1))) && summary) {
    summary.focus();
  }

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
      enhanceChoosers(row);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
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
