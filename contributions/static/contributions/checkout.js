/* The checkout step and the renewal authentication page, with Stripe.js.

   Checkout: POST /api/checkout → Stripe.js confirmCardSetup (saves the card) →
   POST /api/contributions/<id>/complete (the server charges it) → if the bank asks,
   confirmCardPayment → the thank-you page. Every message comes from the page (translated on
   the server). The button is disabled while working, so a gift is never sent twice. */
(function () {
  "use strict";

  var PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000";
  var CHECKOUT_API = "/api/checkout";

  function postJSON(url, body) {
    return fetch(url, {
      method: "POST",
      headers: {"Content-Type": "application/json", Accept: "application/json"},
      body: JSON.stringify(body),
      credentials: "omit",
    }).then(function (response) {
      return response.json().catch(function () {
        return {};
      }).then(function (data) {
        return {status: response.status, body: data};
      });
    });
  }

  function readText(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : {};
  }

  function cardStyle(reference) {
    var style = window.getComputedStyle(reference);
    return {
      base: {
        color: style.color,
        fontFamily: style.fontFamily,
        fontSize: style.fontSize,
        "::placeholder": {color: "#8a867d"},
      },
      invalid: {color: "#b3261e"},
    };
  }

  // Checkout ------------------------------------------------------------------------------

  function setUpCheckout(form) {
    var text = readText("checkout-text");
    var button = form.querySelector("[data-pay]");
    var otherWays = document.querySelector("[data-other-ways]");
    var coverFee = form.elements.cover_fee;
    var anonymous = form.elements.anonymous;
    var name = form.elements.name;
    var state = {started: null, startedFor: null, saved: false};
    var working = false;

    form.hidden = false;
    if (otherWays) otherWays.hidden = false;

    function showError(field, message) {
      var target = form.querySelector('[data-error-for="' + field + '"]') ||
        form.querySelector('[data-error-for="__all__"]');
      target.textContent = message || "";
      target.hidden = !message;
      var input = form.elements[field];
      if (input && input.setAttribute) {
        if (message) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
    }

    // What the card's provider says about the card, when it is about the card (declined,
    // incomplete): its script's own failures ("Cannot read properties of undefined") are
    // never shown, the page's words are.
    function providerMessage(error, fallback) {
      var aboutTheCard = error && (error.type === "card_error" || error.type === "validation_error");
      return aboutTheCard && typeof error.message === "string" ? error.message : fallback;
    }

    function showErrors(errors) {
      var first = null;
      Object.keys(errors || {}).forEach(function (field) {
        var message = [].concat(errors[field]).join(" ");
        var shown = form.querySelector('[data-error-for="' + field + '"]') ? field : "__all__";
        showError(shown, message);
        first = first || form.elements[field];
      });
      if (first && first.focus && first.type !== "hidden") first.focus();
    }

    function clearErrors() {
      form.querySelectorAll("[data-error-for]").forEach(function (node) {
        showError(node.dataset.errorFor, "");
      });
    }

    function label() {
      return coverFee && coverFee.checked ? text.pay_with_fee : text.pay;
    }

    function setWorking(on) {
      working = on;
      button.disabled = on;
      button.setAttribute("aria-busy", on ? "true" : "false");
      button.textContent = on ? text.working : label();
    }

    if (coverFee) coverFee.addEventListener("change", function () {
      button.textContent = label();
    });
    anonymous.addEventListener("change", function () {
      name.disabled = anonymous.checked;
      if (anonymous.checked) name.value = "";
    });

    if (typeof window.Stripe !== "function") {
      showError("__all__", text.stripe_missing);
      button.disabled = true;
      if (otherWays) otherWays.open = true;
      return;
    }
    var stripe = window.Stripe(form.dataset.publishableKey);
    var options = JSON.parse(document.getElementById("checkout-card-options").textContent);
    options.style = cardStyle(form.elements.email);
    // The provider's own messages about the card in the page's language, like ours.
    var card = stripe.elements({locale: document.documentElement.lang || "auto"}).create("card", options);
    var cardEmpty = true;
    card.mount(form.querySelector("[data-card]"));
    card.on("change", function (event) {
      // Stripe.js says whether the field is empty; a stand-in that says nothing was typed in.
      cardEmpty = Boolean(event && "empty" in event ? event.empty : false);
      showError("card", event && event.error ? providerMessage(event.error, text.card_failed) : "");
    });

    // The email is checked in the site's words (not the browser's), when it is left and
    // again as it is typed once flagged, so a fixed field is unflagged at once.
    var email = form.elements.email;
    function emailProblem() {
      if (!email.value.trim()) return text.email_missing;
      return email.checkValidity() ? "" : text.email_invalid;
    }
    email.addEventListener("blur", function () {
      if (email.value.trim() || email.hasAttribute("aria-invalid")) {
        showError("email", emailProblem());
      }
    });
    email.addEventListener("input", function () {
      if (email.hasAttribute("aria-invalid")) showError("email", emailProblem());
    });
    name.addEventListener("input", function () {
      showError("name", "");
    });

    // The button was disabled while working, which dropped the focus to <body>: give it
    // back, to the message that says what went wrong, so a screen reader reads it next.
    function failed() {
      setWorking(false);
      var shown = [].filter.call(form.querySelectorAll("[data-error-for]"), function (node) {
        return !node.hidden;
      })[0];
      if (!shown) return button.focus();
      shown.setAttribute("tabindex", "-1");
      shown.focus();
    }

    function payload() {
      return {
        frequency: form.elements.frequency.value,
        amount: parseInt(form.elements.amount.value, 10),
        currency: form.elements.currency.value,
        email: form.elements.email.value.trim(),
        name: anonymous.checked ? "" : name.value.trim(),
        anonymous: anonymous.checked,
        cover_fee: Boolean(coverFee && coverFee.checked),
        appeal: form.elements.appeal.value,
        variant: form.elements.variant.value,
        // The page's edition: the receipt and every notice are written in its language.
        language: document.documentElement.lang || undefined,
      };
    }

    function forget() {
      state = {started: null, startedFor: null, saved: false};
    }

    function start() {
      var body = payload();
      var key = JSON.stringify(body);
      // The same gift tried again (after a card error): keep the contribution already made.
      if (state.started && state.startedFor === key) return Promise.resolve(state.started);
      forget();
      return postJSON(CHECKOUT_API, body).then(function (answer) {
        if (answer.status !== 201) {
          showErrors(answer.body.errors || {__all__: [text.network]});
          return null;
        }
        state.started = answer.body;
        state.startedFor = key;
        return answer.body;
      });
    }

    function saveCard(started) {
      if (state.saved) return Promise.resolve(true);
      return stripe.confirmCardSetup(started.client_secret, {payment_method: {card: card}})
        .then(function (result) {
          if (result.error) {
            showError("card", providerMessage(result.error, text.card_failed));
            return false;
          }
          state.saved = true;
          return true;
        });
    }

    function complete(started) {
      var url = "/api/contributions/" + started.contribution + "/complete";
      return postJSON(url, {reference: started.reference});
    }

    function finish(started, answer) {
      if (answer.status === 200 && answer.body.client_secret) {
        return stripe.confirmCardPayment(answer.body.client_secret).then(function (result) {
          if (result.error) {
            forget();  // the bank said no: a new attempt starts afresh
            showError("card", providerMessage(result.error, text.authentication_failed));
            return false;
          }
          return true;  // the thank-you page waits for the provider's confirmation
        });
      }
      if (answer.status === 200) return true;
      if (answer.status === 202) {
        // No answer from the provider yet: keep this contribution, so Give again asks about
        // the same payment instead of starting a new one.
        showError("card", answer.body.message || text.network);
        return false;
      }
      forget();  // declined: the card saved for this contribution cannot be charged
      var errors = answer.body.errors;
      showError("card", answer.body.message || (errors && errors.__all__) || text.card_failed);
      return false;
    }

    function give() {
      return start().then(function (started) {
        if (!started) return false;
        return saveCard(started).then(function (saved) {
          if (!saved) return false;
          return complete(started).then(function (answer) {
            return finish(started, answer);
          }).then(function (done) {
            if (done) {
              window.location.assign(
                form.dataset.thanksUrl.replace(PLACEHOLDER_ID, started.contribution)
              );
            }
            return done;
          });
        });
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (working) return;
      clearErrors();
      var problem = emailProblem();
      if (problem) showError("email", problem);
      if (cardEmpty) showError("card", text.card_missing);
      if (problem || cardEmpty) {
        (problem ? email : form.querySelector("[data-card]")).scrollIntoView({block: "center"});
        if (problem) email.focus();
        return;
      }
      setWorking(true);
      give().then(function (done) {
        if (!done) failed();  // on success the button stays off until the page goes
      }, function () {
        showError("__all__", text.network);
        failed();
      });
    });
  }

  // Authentication of a renewal -----------------------------------------------------------

  function setUpAuthentication(box) {
    var text = readText("authenticate-text");
    var button = box.querySelector("[data-confirm]");
    var error = box.querySelector("[data-error]");
    var done = box.querySelector("[data-done]");
    box.hidden = false;

    function fail(message) {
      error.textContent = message;
      error.hidden = false;
      button.disabled = false;
    }

    if (typeof window.Stripe !== "function") {
      fail(text.stripe_missing);
      button.disabled = true;
      return;
    }
    button.addEventListener("click", function () {
      if (button.disabled) return;
      button.disabled = true;
      error.hidden = true;
      postJSON(box.dataset.api, {token: box.dataset.token}).then(function (answer) {
        if (answer.status !== 200) {
          var errors = answer.body.errors || {};
          fail([].concat(errors.token || errors.__all__ || text.network).join(" "));
          return;
        }
        var stripe = window.Stripe(answer.body.publishable_key);
        return stripe.confirmCardPayment(answer.body.client_secret).then(function (result) {
          if (result.error) {
            fail(result.error.message || text.authentication_failed);
            return;
          }
          button.hidden = true;
          done.hidden = false;
        });
      }).catch(function () {
        fail(text.network);
      });
    });
  }

  var form = document.querySelector("[data-checkout]");
  if (form) setUpCheckout(form);
  var box = document.querySelector("[data-authenticate]");
  if (box) setUpAuthentication(box);
})();
