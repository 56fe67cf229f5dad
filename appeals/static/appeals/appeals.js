/* Appeals, decided in the reader's browser.

   Every reader gets the same page and the same public /appeals/config.json. This script keeps
   the reader's state in localStorage only (articles read per day, when each appeal was last
   shown or closed, the variant drawn for it; "readerfund:gave" is set by the thank-you page)
   and decides from it which header message, modal and end-of-article letter to show. It sends
   nothing but aggregate events ({appeal, variant, event}): no identifier, no cookie.
   No dependencies, no build step. The decision functions are exposed as
   window.ReaderfundAppeals for the tests. */
(function (root) {
  "use strict";

  var STATE_KEY = "readerfund:appeals";
  var GAVE_KEY = "readerfund:gave";
  var DAY_MS = 864e5;
  var READ_WINDOW_DAYS = 30;
  var KINDS = ["header", "modal", "letter"];

  // State ------------------------------------------------------------------------------

  function emptyState() {
    return {reads: {}, shown: {}, dismissed: {}, variants: {}};
  }

  function loadState(storage) {
    var state = emptyState();
    try {
      var saved = JSON.parse(storage.getItem(STATE_KEY) || "{}");
      Object.keys(state).forEach(function (key) {
        if (saved && typeof saved[key] === "object" && saved[key]) state[key] = saved[key];
      });
    } catch (error) { /* unreadable: start again */ }
    return state;
  }

  function saveState(storage, state) {
    try {
      storage.setItem(STATE_KEY, JSON.stringify(state));
    } catch (error) { /* storage off or full: the reader just sees appeals as a newcomer */ }
  }

  function dayOf(now) {
    return new Date(now).toISOString().slice(0, 10);
  }

  function daysSince(iso, now) {
    var then = iso ? Date.parse(iso) : NaN;
    return isNaN(then) ? Infinity : (now - then) / DAY_MS;
  }

  /* Count this article once per day, and forget days older than the window. */
  function recordRead(state, article, now) {
    var oldest = dayOf(now - READ_WINDOW_DAYS * DAY_MS);
    Object.keys(state.reads).forEach(function (day) {
      if (day < oldest) delete state.reads[day];
    });
    if (!article) return;
    var today = dayOf(now);
    var read = state.reads[today] || [];
    if (read.indexOf(article) < 0) read.push(article);
    state.reads[today] = read;
  }

  function articlesRead(state, now) {
    var oldest = dayOf(now - READ_WINDOW_DAYS * DAY_MS);
    return Object.keys(state.reads).reduce(function (sum, day) {
      return day >= oldest && Array.isArray(state.reads[day]) ? sum + state.reads[day].length : sum;
    }, 0);
  }

  // The decision ---------------------------------------------------------------------------

  function has(list, value) {
    return (list || []).indexOf(value) >= 0;
  }

  function fitsPage(appeal, page) {
    var tags = page.tags || [];
    if ((appeal.sections || []).length && !has(appeal.sections, page.section)) return false;
    if (page.section && has(appeal.excludeSections, page.section)) return false;
    if ((appeal.tags || []).length && !tags.some(function (t) { return has(appeal.tags, t); })) {
      return false;
    }
    return !tags.some(function (t) { return has(appeal.excludeTags, t); });
  }

  function liveVariants(appeal) {
    return (appeal.variants || []).filter(function (v) { return v.weight > 0; });
  }

  /* Whether this reader, on this page, now, may see the appeal. */
  function eligible(appeal, context) {
    var now = context.now;
    var state = context.state;
    if (appeal.starts && Date.parse(appeal.starts) > now) return false;
    if (appeal.ends && Date.parse(appeal.ends) <= now) return false;
    if (!liveVariants(appeal).length) return false;
    if (appeal.gaveDays > 0 && daysSince(context.gave, now) < appeal.gaveDays) return false;
    if (!fitsPage(appeal, context.page)) return false;
    if (articlesRead(state, now) < (appeal.minArticles || 0)) return false;
    if (appeal.everyDays > 0 && daysSince(state.shown[appeal.id], now) < appeal.everyDays) {
      return false;
    }
    if (appeal.dismissDays > 0 && daysSince(state.dismissed[appeal.id], now) < appeal.dismissDays) {
      return false;
    }
    if (context.countryTargeting && (appeal.countries || []).length) {
      return has(appeal.countries, context.country);
    }
    return true;
  }

  /* The reader's variant: the one drawn before while it still runs, else a weighted draw. */
  function pickVariant(appeal, state, random) {
    var variants = liveVariants(appeal);
    var kept = state.variants[appeal.id];
    for (var i = 0; i < variants.length; i++) {
      if (variants[i].id === kept) return variants[i];
    }
    var total = variants.reduce(function (sum, v) { return sum + v.weight; }, 0);
    var point = (random || Math.random)() * total;
    var picked = variants[variants.length - 1];
    for (var j = 0; j < variants.length; j++) {
      point -= variants[j].weight;
      if (point < 0) { picked = variants[j]; break; }
    }
    state.variants[appeal.id] = picked.id;
    return picked;
  }

  /* {header, modal, letter}: each {appeal, variant} or null. Draws variants into the state. */
  function decide(config, context) {
    var appeals = (config && config.appeals) || [];
    var choice = {};
    var ctx = Object.assign({countryTargeting: !!(config && config.countryTargeting)}, context);
    KINDS.forEach(function (kind) {
      var fitting = appeals
        .filter(function (a) { return a.kind === kind && eligible(a, ctx); })
        .sort(function (a, b) { return (a.priority || 0) - (b.priority || 0); });
      choice[kind] = fitting.length
        ? {appeal: fitting[0], variant: pickVariant(fitting[0], ctx.state, ctx.random)}
        : null;
    });
    return choice;
  }

  function needsCountry(config) {
    return !!(config && config.countryTargeting) && (config.appeals || []).some(function (a) {
      return (a.countries || []).length > 0;
    });
  }

  // On the page ----------------------------------------------------------------------------

  function getJSON(url) {
    return fetch(url, {credentials: "omit", headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      });
  }

  function sender(url) {
    return function (choice, event) {
      var body = JSON.stringify({appeal: choice.appeal.id, variant: choice.variant.id, event: event});
      try {
        fetch(url, {
          method: "POST", body: body, credentials: "omit", keepalive: true,
          headers: {"Content-Type": "application/json"}
        }).catch(function () {});
      } catch (error) { /* counting is best effort */ }
    };
  }

  // Staff's copy replaces the page's own words only where staff wrote some: an empty field
  // keeps what the server rendered in the page's language.
  function fillCopy(element, variant) {
    var heading = element.querySelector("[data-appeal-heading]");
    var body = element.querySelector("[data-appeal-body]");
    if (heading && variant.heading) heading.textContent = variant.heading;
    if (body && variant.body) body.innerHTML = variant.body;  // rich text, rendered by the server
    element.querySelectorAll("[data-appeal-button]").forEach(function (button) {
      if (variant.button) button.textContent = variant.button;
      button.href = variant.url;
    });
  }

  function showHeader(element, choice, env) {
    fillCopy(element, choice.variant);
    element.hidden = false;
    env.state.shown[choice.appeal.id] = new Date(env.now).toISOString();
    env.send(choice, "impression");
    element.querySelector("[data-appeal-button]").addEventListener("click", function () {
      env.send(choice, "click");
    });
    element.querySelector("[data-appeal-close]").addEventListener("click", function () {
      element.hidden = true;
      env.dismiss(choice);
    });
  }

  function focusable(container) {
    return Array.prototype.filter.call(
      container.querySelectorAll("a[href], button:not([disabled]), input, select, textarea, [tabindex]"),
      function (el) { return el.tabIndex >= 0 && el.getClientRects().length; }
    );
  }

  function showModal(dialog, choice, env, ticker) {
    if (typeof dialog.showModal !== "function") return;
    fillCopy(dialog, choice.variant);
    var tickerBox = dialog.querySelector("[data-appeal-ticker]");
    if (tickerBox && ticker && choice.appeal.ticker) {
      dialog.querySelector("[data-ticker-bar]").value = Math.min(Math.max(ticker.percent, 0), 100);
      dialog.querySelector("[data-ticker-label]").textContent = ticker.label;
      tickerBox.hidden = false;
    }
    var before = document.activeElement;
    var closed = false;
    function close() {
      if (closed) return;
      closed = true;
      dialog.close();
      dialog.hidden = true;
      document.removeEventListener("keydown", trap, true);
      env.dismiss(choice);
      if (before && typeof before.focus === "function") before.focus();
    }
    function trap(event) {
      if (event.key !== "Tab") return;
      var items = focusable(dialog);
      if (!items.length) return;
      var first = items[0];
      var last = items[items.length - 1];
      if (event.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (document.activeElement === last || !dialog.contains(document.activeElement))) {
        event.preventDefault();
        first.focus();
      }
    }
    dialog.querySelector("[data-appeal-close]").addEventListener("click", close);
    dialog.addEventListener("cancel", function (event) {  // Esc
      event.preventDefault();
      close();
    });
    dialog.addEventListener("click", function (event) {  // the backdrop
      if (event.target === dialog) close();
    });
    dialog.querySelector("[data-appeal-button]").addEventListener("click", function () {
      env.send(choice, "click");
    });
    document.addEventListener("keydown", trap, true);
    dialog.hidden = false;
    dialog.showModal();
    dialog.focus();  // the dialog itself (tabindex -1): read from its start, Tab to its controls
    env.state.shown[choice.appeal.id] = new Date(env.now).toISOString();
    env.send(choice, "impression");
  }

  function formChoice(form) {
    var query = {};
    ["frequency", "currency"].forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value) query[name] = field.value;
    });
    var other = form.elements.other;
    var amount = form.querySelector("input[name=amount]:checked");
    if (other && other.value.trim()) query.amount = other.value.trim();
    else if (amount) query.amount = amount.value;
    return query;
  }

  function withQuery(base, query) {
    var params = Object.keys(query).filter(function (k) { return query[k]; }).map(function (key) {
      return encodeURIComponent(key) + "=" + encodeURIComponent(query[key]);
    });
    return base + (params.length ? "?" + params.join("&") : "");
  }

  function setHidden(form, name, value) {
    var input = form.querySelector("input[type=hidden][name=" + name + "]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.append(input);
    }
    input.value = value;
  }

  function showLetter(letter, choice, env, remindersUrl) {
    fillCopy(letter, choice.variant);
    var form = letter.querySelector("form[data-contribution-form]");
    var reminder = letter.querySelector("[data-appeal-reminder]");
    var ids = {appeal: choice.appeal.id, variant: choice.variant.id};
    if (form) {
      setHidden(form, "appeal", ids.appeal);
      setHidden(form, "variant", ids.variant);
      letter.querySelector("[data-appeal-form]").hidden = false;
      letter.querySelector("[data-appeal-fallback]").hidden = true;
      form.addEventListener("submit", function () { env.send(choice, "click"); });
    }
    function reminderHref() {
      return withQuery(remindersUrl, Object.assign({}, ids, form ? formChoice(form) : {}));
    }
    if (reminder) {
      reminder.href = reminderHref();
      if (form) form.addEventListener("change", function () { reminder.href = reminderHref(); });
      reminder.addEventListener("click", function () {
        reminder.href = reminderHref();
        env.send(choice, "reminder");
      });
    }
    letter.hidden = false;
    var counted = false;
    function seen() {
      if (counted) return;
      counted = true;
      env.send(choice, "impression");
    }
    if ("IntersectionObserver" in root) {
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) {
          observer.disconnect();
          seen();
        }
      });
      observer.observe(letter);
    } else {
      seen();
    }
  }

  function pageContext() {
    var article = document.querySelector("[data-article]");
    if (!article) return {article: "", section: "", tags: []};
    return {
      article: article.dataset.article || "",
      section: article.dataset.section || "",
      tags: (article.dataset.tags || "").split(",").filter(Boolean)
    };
  }

  function storage() {
    try {
      return root.localStorage;
    } catch (error) {
      return {getItem: function () { return null; }, setItem: function () {}};
    }
  }

  /* A link from the config: as it is when it names a path on this host ("/support/"), else
     relative to the config itself (a static copy's "../support/index.html"). */
  function fromConfig(url, configUrl) {
    if (!url || url.charAt(0) === "/") return url;
    try {
      return new URL(url, configUrl).href;
    } catch (error) {
      return url;
    }
  }

  function relativeToConfig(config, configUrl) {
    config.reminders = fromConfig(config.reminders, configUrl);
    (config.appeals || []).forEach(function (appeal) {
      (appeal.variants || []).forEach(function (variant) {
        variant.url = fromConfig(variant.url, configUrl);
      });
    });
    return config;
  }

  /* A static copy has no server to count events or to tell the country (it leaves out
     data-events and data-country): nothing is sent, no country is asked. */
  function run(script) {
    var store = storage();
    var state = loadState(store);
    var now = Date.now();
    var page = pageContext();
    recordRead(state, page.article, now);
    saveState(store, state);
    var letter = document.querySelector("[data-appeal-kind=letter]");
    var config;
    var configUrl = new URL(script.dataset.config, document.baseURI).href;
    getJSON(configUrl)
      .then(function (loaded) {
        config = relativeToConfig(loaded, configUrl);
        if (!needsCountry(config) || !script.dataset.country) return "";
        return getJSON(script.dataset.country).then(
          function (answer) { return answer.country || ""; },
          function () { return ""; }
        );
      })
      .then(function (country) {
        var env = {
          now: now,
          state: state,
          send: script.dataset.events ? sender(script.dataset.events) : function () {},
          dismiss: function (choice) {
            env.state = loadState(store);  // another tab may have written meanwhile
            env.state.dismissed[choice.appeal.id] = new Date().toISOString();
            saveState(store, env.state);
            env.send(choice, "dismiss");
          }
        };
        var choice = decide(config, {
          state: state, page: page, now: now, country: country, gave: store.getItem(GAVE_KEY)
        });
        var header = document.querySelector("[data-appeal-kind=header]");
        var modal = document.querySelector("[data-appeal-kind=modal]");
        if (choice.header && header) showHeader(header, choice.header, env);
        if (choice.letter && letter) showLetter(letter, choice.letter, env, config.reminders);
        else if (letter) letter.hidden = true;
        if (choice.modal && modal) showModal(modal, choice.modal, env, config.ticker);
        saveState(store, state);
      })
      .catch(function () { /* no config: the page stays as served, the letter as plain text */ });
  }

  root.ReaderfundAppeals = {
    emptyState: emptyState,
    recordRead: recordRead,
    articlesRead: articlesRead,
    eligible: eligible,
    pickVariant: pickVariant,
    decide: decide,
    needsCountry: needsCountry
  };

  var script = document.currentScript;
  if (script && script.dataset.config) run(script);
})(window);
