// Progressive enhancement for regulation drafts. Everything works without it: the server
// validates, the comment form shows every field, and the browser's own menu prints.
(function () {
    "use strict";

    // Print buttons are hidden until this script can make them work.
    document.querySelectorAll("[data-print]").forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () { window.print(); });
    });

    function checkedValue(form, name) {
        var input = form.querySelector('input[name="' + name + '"]:checked');
        return input ? input.value : "";
    }

    // Show the stance only for a comment on the clause, and the proposed wording only
    // for "Amend" or a new clause. Fields with an error always stay visible.
    function update(form) {
        var kind = checkedValue(form, "kind");
        var stance = checkedValue(form, "stance");
        var stanceGroup = form.querySelector("[data-comment-stance]");
        var proposal = form.querySelector("[data-comment-proposal]");
        var newClause = kind === "new_clause";
        if (stanceGroup) {
            var hideStance = newClause && !stanceGroup.classList.contains("form-field--invalid");
            stanceGroup.toggleAttribute("data-draft-hidden", hideStance);
        }
        if (proposal) {
            var textarea = proposal.querySelector("textarea");
            var source = proposal.querySelector("[data-clause-text]");
            var clauseText = source ? source.innerText.trim() : "";
            var typed = textarea ? textarea.value.trim() : "";
            // "Amend" starts from the clause's wording; a new clause from an empty box.
            if (textarea && stance === "amend" && !newClause && typed === "") {
                textarea.value = clauseText;
            } else if (textarea && newClause && typed === clauseText) {
                textarea.value = "";
            }
            typed = textarea ? textarea.value.trim() : "";
            var wanted = newClause || stance === "amend" || (typed !== "" && typed !== clauseText);
            var hideProposal = !wanted && !proposal.classList.contains("form-field--invalid");
            proposal.toggleAttribute("data-draft-hidden", hideProposal);
            var original = proposal.querySelector(".proposal__original");
            if (original) { original.toggleAttribute("data-draft-hidden", newClause); }
            var copy = proposal.querySelector("[data-copy-clause-wrapper]");
            if (copy) { copy.hidden = newClause; }
        }
    }

    var sendOnce = window.hadafSendOnce;  // static/js/send-once.js

    // Comments, replies, votes and reports.
    document.querySelectorAll('form[method="post"]').forEach(sendOnce);

    document.querySelectorAll("[data-comment-form]").forEach(function (form) {
        form.addEventListener("change", function () { update(form); });
        update(form);
        var copy = form.querySelector("[data-copy-clause]");
        var source = form.querySelector("[data-clause-text]");
        if (copy && source) {
            copy.addEventListener("click", function () {
                var target = document.getElementById(copy.dataset.copyClause);
                if (!target) { return; }
                target.value = source.innerText.trim();
                target.focus();
            });
        }
        var summary = form.querySelector("[data-error-summary]");
        if (summary) { summary.focus(); }
    });

    // After a vote, report, reply or comment, the message sits on the comment acted on:
    // bring it into view and give it focus, so neither sight nor a screen reader loses it.
    var message = document.querySelector("[data-focus-message]");
    if (message && !document.querySelector("[data-error-summary]")) {
        message.focus();
    }
})();
