// Council Portal: small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // Dates are typed as dd/mm/yyyy. Next to each such field, add a calendar button that opens
  // the browser's own date picker and writes the chosen day back as dd/mm/yyyy.
  function enhanceDate(input) {
    var picker = document.createElement("input");
    picker.type = "date";
    picker.tabIndex = -1;
    picker.className = "date-picker-proxy";
    picker.setAttribute("aria-hidden", "true");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary date-picker-button";
    button.setAttribute("aria-label", input.getAttribute("data-picker-label") || "Calendar");
    button.innerHTML = "<span class=\"calendar-icon\" aria-hidden=\"true\"></span>";
    button.addEventListener("click", function () {
      var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(input.value.trim());
      if (m) { picker.value = m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]); }
      if (picker.showPicker) { picker.showPicker(); } else { picker.focus(); }
    });
    picker.addEventListener("change", function () {
      var p = /^(\d{4})-(\d{2})-(\d{2})$/.exec(picker.value);
      if (p) { input.value = p[3] + "/" + p[2] + "/" + p[1]; input.dispatchEvent(new Event("change")); }
    });
    var group = document.createElement("div");
    group.className = "input-group date-group";
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    group.appendChild(button);
    group.appendChild(picker);
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Move keyboard focus to the error summary so screen readers announce it.
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
    var label = document.documentElement.getAttribute("data-calendar-label");
    document.querySelectorAll("input[data-datepicker]").forEach(function (input) {
      if (label) { input.setAttribute("data-picker-label", label); }
      enhanceDate(input);
    });
  });
})();
