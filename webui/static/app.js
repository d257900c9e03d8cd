/* Telusur's page behaviour. Everything here is an enhancement: without it the page is a plain
   GET form with links. Served from /static because the CSP forbids inline script. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  ready(function () {
    var form = document.getElementById("searchform");
    var q = document.getElementById("q");

    function submit() {
      if (!form) return;
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    }

    if (form) {
      // Leave empty fields and defaults out of the URL: it stays short and shareable.
      form.addEventListener("submit", function () {
        Array.prototype.forEach.call(form.elements, function (el) {
          if (!el.name || el.disabled || el.type === "checkbox") return;
          if (el.value === "" || (el.name === "sort" && el.value === "relevance")) {
            el.disabled = true;
          }
        });
      });
      window.addEventListener("pageshow", function () {
        Array.prototype.forEach.call(form.elements, function (el) { el.disabled = false; });
      });
    }

    // Facets and sort apply as soon as they change.
    document.addEventListener("change", function (e) {
      var el = e.target;
      if (!el || el.getAttribute("form") !== "searchform") return;
      if (el.type === "checkbox" || el.id === "sort") submit();
    });

    // "/" jumps to the search box; j / k move between results.
    document.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "/" && !isTyping(document.activeElement) && q) {
        e.preventDefault();
        q.focus();
        q.select();
        return;
      }
      if (e.key === "Escape" && document.activeElement === q) {
        q.blur();
        return;
      }
      if ((e.key === "j" || e.key === "k") && !isTyping(document.activeElement)) {
        var links = Array.prototype.slice.call(document.querySelectorAll(".hits h3 a"));
        if (!links.length) return;
        var i = links.indexOf(document.activeElement);
        var next = e.key === "j" ? (i < 0 ? 0 : Math.min(i + 1, links.length - 1))
                                 : (i < 0 ? 0 : Math.max(i - 1, 0));
        e.preventDefault();
        links[next].focus();
      }
    });

    // Filter boxes over long facet lists.
    Array.prototype.forEach.call(document.querySelectorAll(".facet-filter"), function (box) {
      box.hidden = false;
      var section = box.closest(".facet");
      box.addEventListener("input", function () {
        var needle = box.value.trim().toLowerCase();
        var more = section.querySelector("details.more");
        if (more && needle) more.open = true;
        Array.prototype.forEach.call(section.querySelectorAll(".values li"), function (li) {
          var text = li.querySelector(".v").textContent.toLowerCase();
          li.hidden = needle !== "" && text.indexOf(needle) < 0;
        });
      });
      box.addEventListener("keydown", function (e) {
        if (e.key === "Enter") e.preventDefault(); // filtering a list is not a search
      });
    });

    // The histogram: click a bar (a plain link), or drag across bars to choose a range.
    var svg = document.getElementById("histogram");
    var from = document.getElementById("date-from");
    var to = document.getElementById("date-to");
    if (svg && from && to) {
      var start = null;
      var end = null;
      var dragged = false;

      var slotAt = function (e) {
        var el = document.elementFromPoint(e.clientX, e.clientY);
        return el && el.closest ? el.closest(".slot") : null;
      };
      var slots = function () {
        return Array.prototype.slice.call(svg.querySelectorAll(".slot"));
      };
      var paint = function () {
        var all = slots();
        var a = all.indexOf(start);
        var b = all.indexOf(end);
        var lo = Math.min(a, b);
        var hi = Math.max(a, b);
        all.forEach(function (s, i) {
          s.classList.toggle("dragging", start !== null && i >= lo && i <= hi);
        });
      };

      svg.addEventListener("dragstart", function (e) { e.preventDefault(); });
      svg.addEventListener("pointerdown", function (e) {
        var slot = slotAt(e);
        if (!slot || e.button !== 0) return;
        start = end = slot;
        dragged = false;
      });
      svg.addEventListener("pointermove", function (e) {
        if (start === null) return;
        var slot = slotAt(e);
        if (slot && slot !== end) {
          end = slot;
          dragged = dragged || end !== start;
          paint();
        }
      });
      document.addEventListener("pointerup", function () {
        if (start === null) return;
        if (dragged) {
          var a = start.getAttribute("data-from");
          var b = end.getAttribute("data-from");
          var lo = a < b ? start : end;
          var hi = a < b ? end : start;
          from.value = lo.getAttribute("data-from");
          to.value = hi.getAttribute("data-to");
          submit();
        }
        start = end = null;
      });
      svg.addEventListener("click", function (e) {
        if (dragged) {
          e.preventDefault(); // the drag already chose the range
          dragged = false;
        }
      }, true);
    }
  });
})();
