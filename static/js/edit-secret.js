// The private edit link of an anonymous survey response carries its secret after "#", which
// browsers never send. This reads it, removes it from the address bar and history, and
// sends it in the POST body of the secret form. Without JavaScript, the person pastes it.
(function () {
    "use strict";
    var form = document.querySelector("[data-edit-secret-form]");
    if (!form || !window.location.hash) { return; }
    var params = new URLSearchParams(window.location.hash.slice(1));
    var secret = params.get(form.dataset.fragment);
    if (!secret) { return; }
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    form.querySelector("input[type=text]").value = secret;
    form.submit();
})();
