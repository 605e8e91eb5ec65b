/* Progressive enhancement only: every page works without this file.
   - Long facet lists ([data-facet-filter]) get a "Find a value" box that narrows the list.
   - [data-copy-link] buttons (hidden without JS) copy the page address, to share a search. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.querySelectorAll("[data-facet-filter]").forEach(function (list, index) {
    var items = list.querySelectorAll("li");
    if (items.length < 8) { return; }
    var id = "facet-find-" + index;
    var wrapper = document.createElement("div");
    wrapper.className = "facet__find";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = list.getAttribute("data-find-label") ||
      "Find a " + (list.getAttribute("data-facet-filter") || "value").toLowerCase();
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      items.forEach(function (item) {
        item.hidden = needle !== "" && item.textContent.toLowerCase().indexOf(needle) === -1;
      });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    list.parentNode.insertBefore(wrapper, list);
  });

  document.querySelectorAll("[data-copy-link]").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    var status = document.getElementById(button.getAttribute("aria-describedby") || "");
    button.hidden = false;
    button.addEventListener("click", function () {
      // A shared link keeps the page's language (?lang=), whoever opens it.
      var url = new URL(window.location.href);
      if (!url.searchParams.has("lang")) {
        url.searchParams.set("lang", document.documentElement.lang);
      }
      navigator.clipboard.writeText(url.toString()).then(function () {
        if (status) { status.textContent = button.getAttribute("data-copied") || "Link copied."; }
      }, function () {
        if (status) {
          status.textContent = button.getAttribute("data-copy-failed") ||
            "Could not copy; copy the address bar instead.";
        }
      });
    });
  });
})();
