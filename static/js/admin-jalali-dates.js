/*
 * The Jalali date picker of the Persian admin (participation/jalali.py renders the inputs).
 *
 * The text input stays the primary control: an editor can type a date in Persian or Latin
 * digits, and the picker (@majidh1/jalalidatepicker, static/vendor) only opens beside it
 * while it has focus. The picker is a mouse aid: it takes no focus (Tab moves on, Escape
 * closes it) and is hidden from screen readers, which read and edit the text input.
 *
 * The picker reads and writes Latin digits, so the value is in Latin digits while the input
 * has focus and in Persian digits otherwise; the server reads both.
 */
(function () {
  "use strict";

  var SELECTOR = "input[data-jdp]";
  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
  var ARABIC = "٠١٢٣٤٥٦٧٨٩";

  function toLatin(text) {
    return text.replace(/[۰-۹٠-٩]/g, function (digit) {
      var index = PERSIAN.indexOf(digit);
      return String(index >= 0 ? index : ARABIC.indexOf(digit));
    });
  }

  function toPersian(text) {
    return text.replace(/[0-9]/g, function (digit) {
      return PERSIAN[Number(digit)];
    });
  }

  function isDateInput(element) {
    return element instanceof HTMLInputElement && element.matches(SELECTOR);
  }

  // Capture phase: runs before the picker's own focus listener reads the value.
  document.addEventListener(
    "focusin",
    function (event) {
      if (isDateInput(event.target)) {
        event.target.value = toLatin(event.target.value);
      }
    },
    true
  );

  document.addEventListener(
    "focusout",
    function (event) {
      if (!isDateInput(event.target)) {
        return;
      }
      event.target.value = toPersian(event.target.value);
      // Tab (or a click) to another control closes the picker, so it never covers the next
      // field. A click inside the picker moves focus to nothing (relatedTarget is null):
      // the picker stays for the click to land.
      if (event.relatedTarget && window.jalaliDatepicker) {
        window.jalaliDatepicker.hide();
      }
    },
    true
  );

  // Escape closes the picker and leaves the focus in the input (the picker's own Escape
  // handler would blur it, dropping a keyboard user's place on the page).
  document.addEventListener(
    "keydown",
    function (event) {
      // Tab leaves the field: close the picker now, whatever gets the focus next (the
      // focusout above cannot tell when the next control reports no relatedTarget).
      if (event.key === "Tab" && isDateInput(event.target) && window.jalaliDatepicker) {
        window.jalaliDatepicker.hide();
        return;
      }
      if (event.key === "Escape" && isDateInput(event.target) && window.jalaliDatepicker) {
        var container = document.querySelector("jdp-container");
        if (container && container.style.display !== "none") {
          event.stopPropagation();
          window.jalaliDatepicker.hide();
        }
      }
    },
    true
  );

  // A date picked with the mouse: Persian digits again once the input has lost focus, and
  // the change Wagtail listens for (unsaved-changes warning, autosave).
  document.addEventListener("jdp:change", function (event) {
    var input = event.target;
    if (!isDateInput(input)) {
      return;
    }
    if (document.activeElement !== input) {
      input.value = toPersian(input.value);
    }
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });

  function start() {
    if (!window.jalaliDatepicker || window.hadafJalaliPickerStarted) {
      return;
    }
    window.hadafJalaliPickerStarted = true;
    window.jalaliDatepicker.startWatch({
      selector: SELECTOR,
      time: true,
      hasSecond: false,
      persianDigits: true,
      // Typing stays possible: the input is never made read-only.
      autoReadOnlyInput: false,
      showCloseBtn: true,
      zIndex: 2000,
    });
  }

  // Bubble phase, after the picker has drawn itself for the focused input: the picker is
  // not operable by keyboard, so it is not announced; the text input is the accessible
  // control. Its buttons and menus leave the tab order too (a hidden element must not be
  // focusable: axe's aria-hidden-focus), also when it redraws a month.
  function keepOutOfTabOrder(container) {
    container.querySelectorAll("button, select, input, a[href], [tabindex]").forEach(function (el) {
      if (el.getAttribute("tabindex") !== "-1") {
        el.setAttribute("tabindex", "-1");
      }
    });
  }

  document.addEventListener("focusin", function (event) {
    if (isDateInput(event.target)) {
      var container = document.querySelector("jdp-container");
      if (container) {
        container.setAttribute("aria-hidden", "true");
        keepOutOfTabOrder(container);
        if (!container.hadafWatched) {
          container.hadafWatched = true;
          new MutationObserver(function () {
            keepOutOfTabOrder(container);
          }).observe(container, { childList: true, subtree: true });
        }
      }
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
