/* "Kopiera länk": copies the address of one § to the clipboard. Without JavaScript (or a
   clipboard) the plain "Länk till § N" link beside it does the same job. */
(function () {
  "use strict";
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("button.copy-link").forEach(function (button) {
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = new URL("#" + button.getAttribute("data-anchor"), window.location.href).href;
      navigator.clipboard.writeText(url).then(function () {
        button.textContent = "Länken är kopierad";
        window.setTimeout(function () { button.textContent = label; }, 2500);
      }, function () {
        button.textContent = "Kunde inte kopiera – använd länken";
      });
    });
  });
}());

/* The attendee lists sit in a closed <details> ("Närvarande"), so that the page leads with its
   decisions. A printed page shows them: every closed one is opened for the print and closed
   again after it. */
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details.attendance"),
      function (details) { return !details.open; });
    opened.forEach(function (details) { details.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });
}());
