/* The anslagstavla is built on one day and read on others. This script sorts the notices by
   the visitor's date in Sweden: posted notices under "Aktuella anslag", those taken down under
   "Tidigare anslag", those not yet posted hidden. Without JavaScript, the built day's state
   stands. */
(function () {
  "use strict";
  var board = document.querySelector(".board[data-built]");
  if (!board || !window.Intl) {
    return;
  }
  var now = new Date();
  var today = new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit"
  }).format(now);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || today === board.getAttribute("data-built")) {
    return;
  }
  var lists = {
    upcoming: document.getElementById("kommande"),
    current: document.getElementById("aktuella"),
    ended: document.getElementById("tidigare")
  };
  var items = Array.prototype.slice.call(board.querySelectorAll(".notice-item"));
  items.sort(function (a, b) {
    var left = a.getAttribute("data-posted"), right = b.getAttribute("data-posted");
    return left < right ? 1 : left > right ? -1 : 0;
  });
  items.forEach(function (item) {
    var posted = item.getAttribute("data-posted"), down = item.getAttribute("data-down");
    var list = today < posted ? lists.upcoming : today < down ? lists.current : lists.ended;
    list.appendChild(item);
  });
  document.getElementById("inga-aktuella").hidden = lists.current.children.length > 0;
  document.getElementById("inga-tidigare").hidden = lists.ended.children.length > 0;
  var day = document.getElementById("idag");
  day.setAttribute("datetime", today);
  day.textContent = new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Europe/Stockholm", day: "numeric", month: "long", year: "numeric"
  }).format(now);
}());
