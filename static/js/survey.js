// Progressive enhancement for survey forms: hide a conditional question while the earlier
// answer it depends on does not match. The server decides what counts; this only tidies.
(function () {
    "use strict";
    var DIGITS = { "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
        "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9" };

    function fold(text) {
        return String(text).replace(/[۰-۹٠-٩]/g, function (d) { return DIGITS[d]; })
            .replace(/ي|ى/g, "ی").replace(/ك/g, "ک").replace(/\s+/g, " ").trim().toLowerCase();
    }

    function same(a, b) {
        var x = parseFloat(fold(a)), y = parseFloat(fold(b));
        if (!isNaN(x) && !isNaN(y) && String(x) === fold(a) && String(y) === fold(b)) { return x === y; }
        return fold(a) === fold(b);
    }

    function answersOf(question) {
        var texts = [];
        question.querySelectorAll("input:checked").forEach(function (input) {
            texts.push(input.value);
            var label = input.closest("label");
            if (label) { texts.push(label.textContent); }
        });
        question.querySelectorAll("select").forEach(function (select) {
            if (select.value) { texts.push(select.value, select.options[select.selectedIndex].text); }
        });
        question.querySelectorAll("input[type=text], textarea").forEach(function (input) {
            if (input.value) { texts.push(input.value); }
        });
        return texts;
    }

    function update(form) {
        form.querySelectorAll("[data-show-if]").forEach(function (question) {
            var source = form.querySelector('[data-question-id="' + question.dataset.showIf + '"]');
            if (!source) { return; }  // The earlier question is on another step: the server decides.
            var expected = question.dataset.showIfAnswers.split("|");
            var given = answersOf(source);
            var shown = given.some(function (g) { return expected.some(function (e) { return same(g, e); }); });
            question.toggleAttribute("data-survey-hidden", !shown);
        });
    }

    var sendOnce = window.hadafSendOnce;  // static/js/send-once.js

    document.querySelectorAll("[data-survey-form]").forEach(function (form) {
        sendOnce(form);
        form.addEventListener("change", function () { update(form); });
        form.addEventListener("input", function () { update(form); });
        update(form);
        var summary = form.querySelector("#survey-errors");
        if (summary) { summary.focus(); }
    });
})();
