// Page editor: a question's «Show only if» picks an earlier question and its answers from
// the questions on the page, instead of typing codes and labels. The two text inputs of
// ConditionBlock (participation/questions/blocks.py) keep the ids; this replaces them with a
// native <select> and checkboxes (keyboard and screen-reader friendly) and writes back.
(function () {
    "use strict";
    var SUFFIX = "-value-show_if-question";
    var WITH_CHOICES = ["single_choice", "multiple_choice"];

    function field(form, name) {
        return form.querySelector('[name="' + name + '"]');
    }

    function valueOf(form, name) {
        var input = field(form, name);
        return input ? input.value : "";
    }

    // The live children of the stream or list ``prefix``, in the order shown on the page.
    function children(form, prefix) {
        var pattern = new RegExp("^" + prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "-(\\d+)-id$");
        var found = [];
        form.querySelectorAll('input[name$="-id"]').forEach(function (input) {
            var match = pattern.exec(input.name);
            if (!match) { return; }
            var childPrefix = prefix + "-" + match[1];
            if (valueOf(form, childPrefix + "-deleted")) { return; }
            found.push({ prefix: childPrefix, type: valueOf(form, childPrefix + "-type"), id: input.value, node: input });
        });
        return found;
    }

    function listItems(form, prefix, valueSuffix) {
        var items = [];
        children(form, prefix).forEach(function (item) {
            items.push({ id: item.id, label: valueOf(form, item.prefix + "-value" + valueSuffix) });
        });
        return items;
    }

    // (key, label) pairs a condition can pick from the question at ``child``.
    function answersOf(form, child) {
        var base = child.prefix + "-value";
        if (WITH_CHOICES.indexOf(child.type) !== -1) {
            return listItems(form, base + "-choices", "-label").map(function (item) {
                return { key: item.id, label: item.label };
            });
        }
        if (child.type === "likert") {
            var points = parseInt(valueOf(form, base + "-points"), 10) || 5;
            var labels = listItems(form, base + "-scale_labels", "").map(function (item) { return item.label; })
                .filter(function (label) { return label; });
            var keys = [];
            for (var point = 1; point <= points; point += 1) {
                keys.push({ key: String(point), label: labels.length === points ? point + " – " + labels[point - 1] : String(point) });
            }
            return keys;
        }
        if (child.type === "rating") {
            return Array.from({ length: 11 }, function (_, point) { return { key: String(point), label: String(point) }; });
        }
        if (child.type === "consent") {
            return [{ key: "1", label: valueOf(form, base + "-label") }];
        }
        return null;
    }

    function digits(text) {
        if (document.documentElement.lang !== "fa") { return text; }
        return String(text).replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; });
    }

    function Picker(questionInput) {
        this.form = questionInput.form;
        this.questionInput = questionInput;
        this.childPrefix = questionInput.name.slice(0, -SUFFIX.length);
        this.streamPrefix = this.childPrefix.replace(/-\d+$/, "");
        this.answersInput = field(this.form, this.childPrefix + "-value-show_if-answers");
        this.select = document.createElement("select");
        this.select.id = questionInput.id + "-picker";
        this.group = document.createElement("div");
        this.group.setAttribute("role", "group");
        this.group.className = "condition-picker__answers";
        var label = document.querySelector('label[for="' + questionInput.id + '"]');
        if (label) { label.setAttribute("for", this.select.id); }
        var answersLabel = this.answersInput && document.querySelector('label[for="' + this.answersInput.id + '"]');
        if (answersLabel) {
            answersLabel.id = answersLabel.id || this.answersInput.id + "-label";
            this.group.setAttribute("aria-labelledby", answersLabel.id);
        }
        questionInput.type = "hidden";
        questionInput.after(this.select);
        if (this.answersInput) {
            this.answersInput.type = "hidden";
            this.answersInput.after(this.group);
        }
        this.select.addEventListener("change", this.onQuestion.bind(this));
        this.group.addEventListener("change", this.onAnswers.bind(this));
        this.refresh();
    }

    Picker.prototype.earlier = function () {
        var all = children(this.form, this.streamPrefix);
        var mine = field(this.form, this.childPrefix + "-id");
        var result = [];
        for (var i = 0; i < all.length; i += 1) {
            if (all[i].node === mine) { break; }
            if (answersOf(this.form, all[i]) !== null) { result.push(all[i]); }
        }
        return result;
    };

    Picker.prototype.refresh = function () {
        var chosen = this.questionInput.value;
        var options = [new Option(this.questionInput.dataset.emptyLabel || "—", "")];
        var form = this.form;
        var known = false;
        this.earlier().forEach(function (child) {
            var label = valueOf(form, child.prefix + "-value-label") || child.id;
            options.push(new Option(label, child.id, false, child.id === chosen));
            known = known || child.id === chosen;
        });
        if (chosen && !known) {
            // Kept so that saving shows the error instead of silently dropping the condition.
            options.push(new Option(this.questionInput.dataset.missingLabel || chosen, chosen, false, true));
        }
        this.select.replaceChildren.apply(this.select, options);
        this.select.value = chosen;
        this.renderAnswers();
    };

    Picker.prototype.renderAnswers = function () {
        if (!this.answersInput) { return; }
        var chosen = this.questionInput.value;
        var source = children(this.form, this.streamPrefix).filter(function (child) { return child.id === chosen; })[0];
        var picked = this.answersInput.value.split(/[\s,]+/).filter(Boolean);
        var group = this.group;
        var prefix = this.answersInput.id;
        var nodes = [];
        (source ? answersOf(this.form, source) || [] : []).forEach(function (answer, index) {
            var wrapper = document.createElement("label");
            wrapper.className = "condition-picker__answer";
            var box = document.createElement("input");
            box.type = "checkbox";
            box.value = answer.key;
            box.id = prefix + "-" + index;
            box.checked = picked.indexOf(answer.key) !== -1;
            wrapper.append(box, " ", digits(answer.label || answer.key));
            nodes.push(wrapper);
        });
        group.replaceChildren.apply(group, nodes);
        group.hidden = nodes.length === 0;
    };

    Picker.prototype.onQuestion = function () {
        this.questionInput.value = this.select.value;
        if (this.answersInput) { this.answersInput.value = ""; }
        this.renderAnswers();
    };

    Picker.prototype.onAnswers = function () {
        var keys = [];
        this.group.querySelectorAll("input:checked").forEach(function (box) { keys.push(box.value); });
        this.answersInput.value = keys.join(" ");
    };

    var pickers = [];

    function enhance(root) {
        root.querySelectorAll('input[data-condition-picker="question"]:not([data-picker-ready])').forEach(function (input) {
            if (!input.form || input.name.slice(-SUFFIX.length) !== SUFFIX) { return; }
            input.setAttribute("data-picker-ready", "");
            pickers.push(new Picker(input));
        });
    }

    function refreshAll(event) {
        // Labels, choices and order may have changed elsewhere in the form.
        if (event && event.target && event.target.closest && event.target.closest(".condition-picker__answers")) { return; }
        pickers = pickers.filter(function (picker) { return picker.select.isConnected; });
        pickers.forEach(function (picker) { picker.refresh(); });
    }

    function start() {
        enhance(document);
        new MutationObserver(function () { enhance(document); }).observe(document.body, { childList: true, subtree: true });
        document.addEventListener("focusin", function (event) {
            if (event.target.tagName === "SELECT" && pickers.some(function (p) { return p.select === event.target; })) {
                refreshAll();
            }
        });
        document.addEventListener("change", refreshAll);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
