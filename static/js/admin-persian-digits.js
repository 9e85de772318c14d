/*
 * Persian digits in the numbers the Persian admin draws in the browser (loaded only when the
 * admin speaks Persian; numbers rendered on the server get them there, pages/admin_digits.py):
 *
 * - Counts drawn by Wagtail's React code: the rich text editor's character count
 *   («۱۲/۲۰۰») and the sidebar's badges; kept right when React redraws them.
 * - Number fields («بیشینهٔ طول: ۲۰۰», a call's report threshold): a number input can only
 *   show Latin digits, so each becomes a text input (numeric keyboard on phones) showing
 *   Persian digits; Persian or Latin digits may be typed. The form sends Latin digits
 *   whatever is shown: every submission, autosave and preview builds its FormData from the
 *   form, and the "formdata" listener below writes Latin digits into it.
 */
(function () {
  "use strict";

  var COUNTERS = [
    ".Draftail-Editor .w-tabular-nums", // "Character count: 12/200"
    ".w-dismissible-badge--count", // the sidebar's "2 new items in this menu"
  ].join(",");
  var NUMBER_INPUT = 'input[type="number"]';
  var LOCALIZED_INPUT = "input[data-persian-digits]";
  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
  var ARABIC = "٠١٢٣٤٥٦٧٨٩";

  function toPersian(text) {
    return text.replace(/[0-9]/g, function (digit) {
      return PERSIAN[Number(digit)];
    });
  }

  function toLatin(text) {
    return text.replace(/[۰-۹٠-٩]/g, function (digit) {
      var index = PERSIAN.indexOf(digit);
      return String(index >= 0 ? index : ARABIC.indexOf(digit));
    });
  }

  function localizeText(element) {
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      var node = walker.currentNode;
      var shown = toPersian(node.nodeValue);
      if (shown !== node.nodeValue) {
        node.nodeValue = shown;
      }
    }
  }

  // Same length in both scripts, so the caret stays where the editor put it.
  function showPersian(input) {
    var shown = toPersian(input.value);
    if (shown === input.value) {
      return;
    }
    var start = input.selectionStart;
    var end = input.selectionEnd;
    input.value = shown;
    if (document.activeElement === input && start !== null) {
      input.setSelectionRange(start, end);
    }
  }

  function localizeInput(input) {
    input.type = "text";
    input.inputMode = "decimal";
    input.setAttribute("data-persian-digits", "");
    showPersian(input);
  }

  function visit(node) {
    var element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    if (!(element instanceof Element)) {
      return;
    }
    var counter = element.closest(COUNTERS);
    if (counter) {
      localizeText(counter);
      return;
    }
    element.querySelectorAll(COUNTERS).forEach(localizeText);
    if (element.matches(NUMBER_INPUT)) {
      localizeInput(element);
    }
    element.querySelectorAll(NUMBER_INPUT).forEach(localizeInput);
  }

  document.addEventListener("input", function (event) {
    if (event.target instanceof HTMLInputElement && event.target.matches(LOCALIZED_INPUT)) {
      showPersian(event.target);
    }
  });

  // A value set by a script without a DOM change (a StreamField block filled in) is shown
  // in Persian once the editor moves on.
  document.addEventListener("focusout", function (event) {
    if (event.target instanceof HTMLInputElement && event.target.matches(LOCALIZED_INPUT)) {
      showPersian(event.target);
    }
  });

  document.addEventListener(
    "formdata",
    function (event) {
      event.target.querySelectorAll(LOCALIZED_INPUT).forEach(function (input) {
        if (input.name && event.formData.has(input.name)) {
          event.formData.set(input.name, toLatin(input.value));
        }
      });
    },
    true
  );

  function start() {
    visit(document.body);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        visit(mutation.target);
        mutation.addedNodes.forEach(visit);
      });
    }).observe(document.body, { childList: true, characterData: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
