/* The results page keeps up with its reader (issue 22): the phone's filter drawer, and after a
   facet change the scroll position, the open drawer and the focused control come back on the new
   page. An enhancement only: without it the filters are a section of the page and every change
   is a plain GET. */
(function () {
  "use strict";
  var KEY = "telusur.keep";
  var FRESH_MS = 20000; // a kept state older than this belongs to another visit

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var facets = document.getElementById("facets");
    var toggle = document.getElementById("filter-toggle");
    var close = document.getElementById("drawer-close");

    function drawerOpen() { return !!facets && facets.classList.contains("open"); }
    function setDrawer(open, focus) {
      if (!facets) return;
      facets.classList.toggle("open", open);
      if (toggle) toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open && focus) (close || facets).focus();
      if (!open && focus && toggle) toggle.focus();
    }
    if (toggle && facets) {
      toggle.addEventListener("click", function (e) {
        e.preventDefault();
        setDrawer(!drawerOpen(), true);
      });
    }
    if (close) close.addEventListener("click", function () { setDrawer(false, true); });
    document.addEventListener("keydown", function (e) {
      if (!drawerOpen()) return;
      if (e.key === "Escape") {
        setDrawer(false, true);
        return;
      }
      // Tab stays inside the open drawer, as in any dialog over the page.
      if (e.key !== "Tab") return;
      var stops = Array.prototype.filter.call(
        facets.querySelectorAll("a[href], button, input, select, summary"),
        function (el) { return !el.disabled && el.tabIndex >= 0 && el.offsetParent !== null; }
      );
      if (!stops.length) return;
      var first = stops[0];
      var last = stops[stops.length - 1];
      if (e.shiftKey && (document.activeElement === first || !facets.contains(document.activeElement))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (document.activeElement === last || !facets.contains(document.activeElement))) {
        e.preventDefault();
        first.focus();
      }
    });

    // What to give back after the reload: where the page was, and which control was used.
    function describe(el) {
      if (!el) return null;
      if (el.type === "checkbox" && el.name) return { name: el.name, value: el.value };
      // A removed chip is gone: the focus goes to the chips left, or to the results.
      if (el.classList && el.classList.contains("chip")) return { chip: true };
      if (el.id) return { id: el.id };
      // A bar of the timeline: the new chart's first bar. A link of a facet group ("Clear",
      // a quick range): its group's heading, or the dates of the time facet.
      if (el.closest && el.closest("#histogram")) return { sel: "#histogram a.slot" };
      var section = el.closest ? el.closest(".facet") : null;
      if (section && section.id) {
        return { sel: "#" + section.id + " summary, #" + section.id + " #date-from" };
      }
      return null;
    }
    function keep(el) {
      try {
        sessionStorage.setItem(KEY, JSON.stringify({
          at: Date.now(),
          y: window.scrollY,
          drawer: drawerOpen(),
          drawerY: facets ? facets.scrollTop : 0,
          focus: describe(el)
        }));
      } catch (err) { /* storage off: the page simply starts at the top */ }
    }
    // Capture phase: this runs before app.js submits the form on the same change.
    document.addEventListener("change", function (e) {
      var el = e.target;
      if (el && el.getAttribute && el.getAttribute("form") === "searchform" &&
          (el.type === "checkbox" || el.id === "sort")) keep(el);
    }, true);
    document.addEventListener("click", function (e) {
      var link = e.target && e.target.closest ? e.target.closest("a[href]") : null;
      if (link && link.closest(".facets, .chips, .timeline")) keep(link);
    }, true);

    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
      sessionStorage.removeItem(KEY);
    } catch (err) { saved = null; }
    if (!saved || Date.now() - saved.at > FRESH_MS) return;
    if (saved.drawer && toggle && getComputedStyle(toggle).display !== "none") {
      facets.style.transition = "none";
      setDrawer(true, false);
      facets.scrollTop = saved.drawerY || 0;
      void facets.offsetWidth; // apply the open state before transitions come back
      facets.style.transition = "";
    }
    // After the stylesheet and layout are done: earlier, the page may still be too short.
    function restore() {
      window.scrollTo(0, saved.y || 0);
      if (saved.drawer && facets) facets.scrollTop = saved.drawerY || 0;
      var target = null;
      if (saved.focus && saved.focus.id) target = document.getElementById(saved.focus.id);
      if (saved.focus && saved.focus.sel) target = document.querySelector(saved.focus.sel);
      if (saved.focus && saved.focus.chip) {
        target = document.querySelector("#chips a.chip") || document.getElementById("results");
      }
      if (saved.focus && saved.focus.name) {
        var boxes = document.querySelectorAll("input[type=checkbox][form=searchform]");
        for (var i = 0; i < boxes.length; i++) {
          if (boxes[i].name === saved.focus.name && boxes[i].value === saved.focus.value) {
            target = boxes[i];
            break;
          }
        }
      }
      if (target) {
        var holder = target.closest("details");
        if (holder) holder.open = true;
        target.focus({ preventScroll: true });
      }
    }
    if (document.readyState === "complete") restore();
    else window.addEventListener("load", restore);
  });
})();
