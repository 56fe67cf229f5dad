/* The thank-you page: remember in this browser (only here) that the reader gave, so appeals
   can leave them alone; while the payment is being confirmed, ask for its status and show
   the page again once it is settled. */
(function () {
  "use strict";

  var page = document.querySelector("[data-thanks]");
  if (!page) return;
  var POLL_EVERY_MS = 2000;
  var GIVE_UP_AFTER = 60;  // two minutes: past that the page says to come back later

  function remember() {
    try {
      window.localStorage.setItem("readerfund:gave", new Date().toISOString());
    } catch (error) {
      // Storage can be off (private windows, strict settings): nothing else depends on it.
    }
  }

  var status = page.dataset.status;
  if (status === "paid" || status === "active") {
    remember();
    return;
  }
  if (status !== "pending") return;

  var tries = 0;
  function poll() {
    tries += 1;
    fetch(page.dataset.statusUrl, {headers: {Accept: "application/json"}, credentials: "omit"})
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer && answer.status !== "pending") {
          window.location.reload();
        } else if (tries < GIVE_UP_AFTER) {
          window.setTimeout(poll, POLL_EVERY_MS);
        }
      }, function () {
        if (tries < GIVE_UP_AFTER) window.setTimeout(poll, POLL_EVERY_MS * 2);
      });
  }
  window.setTimeout(poll, POLL_EVERY_MS);
})();
