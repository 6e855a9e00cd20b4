/* The anslagstavla and the home page are built on one day and read on others. This script
   sorts the notices by the visitor's date in Sweden, within each kind of notice: posted notices
   under "Aktuella anslag", those taken down under "Tidigare anslag" (hidden on the home page),
   those not yet posted hidden. A notice without a day to come down stays up. On the home page
   it also shows the next meetings from the visitor's day. Without JavaScript, the built day's
   state stands. */
(function () {
  "use strict";
  var boards = document.querySelectorAll("[data-built]");
  if (!boards.length || !window.Intl) {
    return;
  }
  var now = new Date();
  var today = new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit"
  }).format(now);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) {
    return;
  }
  var each = function (nodes, action) { Array.prototype.forEach.call(nodes, action); };

  function notices(board) {
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
    each(board.querySelectorAll(".board-group[data-state]"), function (section) {
      var state = section.getAttribute("data-state");
      var any = list(state, section.getAttribute("data-group")).children.length > 0;
      section.hidden = !any;
      shown[state] = shown[state] || any;
    });
    each(board.querySelectorAll('[data-none="current"], [data-none="ended"]'), function (note) {
      note.hidden = shown[note.getAttribute("data-none")];
    });
  }

  function meetings(board) {
    var list = board.querySelector("ol[data-next]");
    if (!list) {
      return;
    }
    var room = parseInt(list.getAttribute("data-next"), 10);
    var any = false;
    each(list.querySelectorAll("li[data-day]"), function (item) {
      var show = item.getAttribute("data-day") >= today && room > 0;
      room -= show ? 1 : 0;
      item.hidden = !show;
      any = any || show;
    });
    each(board.querySelectorAll('[data-none="meetings"]'), function (note) {
      note.hidden = any;
    });
  }

  each(boards, function (board) {
    if (today === board.getAttribute("data-built")) {
      return;
    }
    notices(board);
    meetings(board);
    each(board.querySelectorAll("time[data-today]"), function (day) {
      day.setAttribute("datetime", today);
      day.textContent = new Intl.DateTimeFormat("sv-SE", {
        timeZone: "Europe/Stockholm", day: "numeric", month: "long", year: "numeric"
      }).format(now);
    });
  });
}());
