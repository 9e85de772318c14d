// Each participation form is sent once: a second click (or Enter) while the first sending
// is on its way is ignored. The server stores nothing twice anyway, but the person would
// land on "already received" instead of the thank-you, and a second vote would take the
// first back. The buttons stay enabled, so the clicked one's name and value are still sent.
(function () {
    "use strict";

    window.hadafSendOnce = function (form) {
        form.addEventListener("submit", function (event) {
            if (event.defaultPrevented) { return; }
            if (form.dataset.sending === "true") {
                event.preventDefault();
                return;
            }
            form.dataset.sending = "true";
            form.setAttribute("aria-busy", "true");
        });
    };

    // Coming back with the browser's Back button shows the page as it was left: sendable again.
    window.addEventListener("pageshow", function (event) {
        if (!event.persisted) { return; }
        document.querySelectorAll("form[data-sending]").forEach(function (form) {
            delete form.dataset.sending;
            form.removeAttribute("aria-busy");
        });
    });
})();
