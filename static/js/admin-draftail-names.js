/*
 * A name for each rich text editor in the admin (loaded on every admin screen).
 *
 * Wagtail's Draftail draws its editable area as a textbox (role="textbox", contenteditable)
 * with no accessible name: the field's <label> points at the hidden input that carries the
 * value, not at the textbox, so a screen reader announces only "edit text" and axe-core
 * reports "ARIA input fields must have an accessible name" (aria-input-field-name, serious).
 * Each textbox gets aria-labelledby pointing at its field's label: the panel's <label> for a
 * field («مقدمه»), the <label> of a block's child field, or, for a StreamField block that is
 * only rich text, the block's type in its header («بند متن»). Editors added later (a new
 * block, an inline panel's new form) are named as they appear.
 *
 * The same for the avatar buttons that show who else has the page open (Wagtail's
 * editing_sessions/list.html): their only text is a hidden tooltip and the avatar's alt is
 * empty ("Buttons must have discernible text", critical); the tooltip's text becomes the name.
 */
(function () {
  "use strict";

  var UNNAMED =
    '.Draftail-Editor [role="textbox"][contenteditable="true"]' +
    ":not([aria-labelledby]):not([aria-label])";

  // The hidden input holding the editor's value: just before Draftail's wrapper.
  function inputOf(textbox) {
    var wrapper = textbox.closest("[data-draftail-editor-wrapper]");
    var input = wrapper && wrapper.previousElementSibling;
    return input && input.tagName === "INPUT" ? input : null;
  }

  function labelOf(input) {
    // A panel's field: <label for="id_intro">.
    var label = input.id && document.querySelector('label[for="' + CSS.escape(input.id) + '"]');
    // A block's child field: a <label> with no "for" first in the child's container.
    var child = !label && input.closest("[data-contentpath]");
    label = label || (child && child.querySelector(":scope > label.w-field__label"));
    // A block that is only rich text: the block's type in its header.
    var block = !label && input.closest("[data-streamfield-child]");
    return label || (block && block.querySelector(".c-sf-block__type"));
  }

  var made = 0;
  function idOf(element, input) {
    if (!element.id) {
      var id = (input.id || input.name) + "-label";
      made += 1;
      element.id = document.getElementById(id) ? id + "-" + made : id;
    }
    return element.id;
  }

  function nameEditors() {
    document.querySelectorAll(UNNAMED).forEach(function (textbox) {
      var input = inputOf(textbox);
      var label = input && labelOf(input);
      if (label) {
        textbox.setAttribute("aria-labelledby", idOf(label, input));
      }
    });
  }

  function nameSessionButtons() {
    var buttons = "button.w-editing-sessions__session:not([aria-label]):not([aria-labelledby])";
    document.querySelectorAll(buttons).forEach(function (button) {
      // Inside the button until Wagtail's tooltip takes it (then tippy keeps it).
      var popup =
        button.querySelector(".w-editing-sessions__popup") ||
        (button._tippy && button._tippy.props.content);
      var text = popup && (typeof popup === "string" ? popup : popup.textContent);
      text = text && text.replace(/\s+/g, " ").trim();
      if (text) {
        button.setAttribute("aria-label", text);
      }
    });
  }

  var scheduled = false;
  function schedule() {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(function () {
        scheduled = false;
        nameEditors();
        nameSessionButtons();
      });
    }
  }

  function start() {
    nameEditors();
    nameSessionButtons();
    new MutationObserver(function () {
      nameSessionButtons(); // at once: the list is replaced while people come and go
      schedule();
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
