/* The anslagstavla is built on one day and read on others. This script sorts the notices by
   the visitor's date in Sweden, within each kind of notice: posted notices under "Aktuella
   anslag", those taken down under "Tidigare anslag", those not yet posted hidden. A notice
   without a day to come down stays up. Without JavaScript, the built day's state stands. */
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
  function list(state, group) {
    return board.querySelector('ul[data-state="' + state + '"][data-group="' + group + '"]');
  }
  var items = Array.prototype.slice.call(board.querySelectorAll(".notice-item"));
  items.sort(function (a, b) {
    var left = a.getAttribute("data-posted"), right = b.getAttribute("data-posted");
    return left < right ? 1 : left > right ? -1 : 0;
  });
  items.forEach(function (item) {
    var group = item.parentNode.getAttribute("data-group");
    var posted = item.getAttribute("data-posted"), down = item.getAttribute("data-down");
    var state = today < posted ? "upcoming" : (!down || today < down) ? "current" : "ended";
    list(state, group).appendChild(item);
  });
  var shown = { current: false, ended: false };
  Array.prototype.forEach.call(board.querySelectorAll("section.board-group"), function (section) {
    var state = section.getAttribute("data-state");
    var any = list(state, section.getAttribute("data-group")).children.length > 0;
    section.hidden = !any;
    shown[state] = shown[state] || any;
  });
  document.getElementById("inga-aktuella").hidden = shown.current;
  document.getElementById("inga-tidigare").hidden = shown.ended;
  var day = document.getElementById("idag");
  day.setAttribute("datetime", today);
  day.textContent = new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Europe/Stockholm", day: "numeric", month: "long", year: "numeric"
  }).format(now);
}());
