/* The contribution form (contributions/includes/contribution_form.html): when the reader
   changes the frequency or the currency, show that pair's preset amounts, with its default
   chosen. Same origin, no dependencies. Without it the form still works: the server accepts
   any amount within the currency's limits. */
(function () {
  "use strict";

  function setUp(form) {
    var data = JSON.parse(document.getElementById(form.dataset.presetsId).textContent);
    var amounts = form.querySelector("[data-amounts]");
    var other = form.querySelector("[data-other]");
    var prefix = form.querySelector("[data-currency-prefix]");
    var currencySelect = form.querySelector("[data-currency]");
    var idBase = other.id.replace(/-other$/, "-amount-");

    function current(name) {
      var checked = form.querySelector("input[name=" + name + "]:checked");
      return checked ? checked.value : null;
    }

    function currency() {
      return currencySelect ? currencySelect.value : form.elements.currency.value;
    }

    function showPresets() {
      var offer = data[currency()];
      if (!offer) return;
      var presets = offer.frequencies[current("frequency")] || {amounts: [], default: null};
      var keepOther = other.value.trim() !== "";
      amounts.replaceChildren();
      presets.amounts.forEach(function (preset, index) {
        var input = document.createElement("input");
        input.type = "radio";
        input.name = "amount";
        input.className = "amounts__input";
        input.id = idBase + (index + 1);
        input.value = preset.value;
        input.checked = !keepOther && preset.value === presets.default;
        var label = document.createElement("label");
        label.className = "amounts__option";
        label.htmlFor = input.id;
        label.textContent = preset.label;
        amounts.append(input, label);
      });
      prefix.textContent = offer.prefix;
      var shown = form.querySelector("[data-presets-for]");
      if (shown) shown.value = current("frequency");
      // The marks of the ways to give that take this currency, and no others.
      form.querySelectorAll("[data-currencies]").forEach(function (mark) {
        mark.hidden = mark.getAttribute("data-currencies").split(" ").indexOf(currency()) < 0;
      });
    }

    form.addEventListener("change", function (event) {
      var name = event.target.name;
      if (name === "frequency" || name === "currency") showPresets();
      if (name === "amount") other.value = "";
    });
    other.addEventListener("input", function () {
      if (other.value.trim() === "") return;
      amounts.querySelectorAll("input:checked").forEach(function (input) {
        input.checked = false;
      });
    });
  }

  document.querySelectorAll("[data-contribution-form]").forEach(setUp);
})();
