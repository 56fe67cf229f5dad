/* The card update on the donor's manage page, with Stripe.js.

   POST …/card/<id>/begin/ (the form's CSRF token; the manage cookie goes with it) → Stripe.js
   confirmCardSetup (saves the card with Stripe) → the form is submitted with the SetupIntent's
   id, and the server asks Stripe which card was saved. Messages come from the page. */
(function () {
  "use strict";

  var form = document.querySelector("[data-card-update]");
  if (!form) return;
  var text = JSON.parse(document.getElementById("card-text").textContent);
  var error = form.querySelector("[data-error-for=card]");
  var button = form.querySelector("[data-save]");

  function showError(message) {
    error.textContent = message || "";
    error.hidden = !message;
    button.disabled = false;
  }

  if (typeof window.Stripe !== "function") {
    showError(text.stripe_missing);
    button.disabled = true;
    return;
  }
  var stripe = window.Stripe(form.dataset.publishableKey);
  var options = JSON.parse(document.getElementById("card-options").textContent);
  var style = window.getComputedStyle(form);
  options.style = {base: {color: style.color, fontFamily: style.fontFamily, fontSize: "16px"}};
  var card = stripe.elements().create("card", options);
  var empty = true;
  card.mount(form.querySelector("[data-card]"));
  card.on("change", function (event) {
    empty = Boolean(event && "empty" in event ? event.empty : false);
    showError(event && event.error ? event.error.message : "");
  });

  function begin() {
    var body = new URLSearchParams({csrf: form.elements.csrf.value});
    return fetch(form.dataset.beginUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {Accept: "application/json"},
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error((data.errors && data.errors.__all__[0]) || text.network);
        return data;
      });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (empty) return showError(text.card_missing);
    button.disabled = true;
    begin()
      .then(function (started) {
        return stripe.confirmCardSetup(started.client_secret, {payment_method: {card: card}})
          .then(function (result) {
            if (result.error) return showError(result.error.message || text.card_failed);
            form.elements.reference.value = started.reference;
            form.submit();
          });
      })
      .catch(function (problem) {
        showError((problem && problem.message) || text.network);
      });
  });
})();
