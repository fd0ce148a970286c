// Tandem's outbox: a meeting logged with no signal is kept on this phone until Tandem has
// accepted it, then deleted. Only the meeting form's own fields are kept (with the mentee's
// first name to show in the list); no page about a case is stored (see core/sw.js).
//
// A form with data-outbox="<first name>" is saved here before it is sent. With no network,
// it stays here and the page says so (unless a question Tandem would certainly refuse is
// unanswered: then nothing is kept and the page says what to answer); with a network, it is
// sent as usual, and the page that comes back says what became of it: the next page names
// it as logged (data-outbox-logged) or the form comes back with its errors
// (data-outbox-refused), and either way the copy here is deleted. Waiting meetings are sent when the connection comes back, when the app is
// brought back to the screen and on every page load. The server knows a form by its
// client_id, so sending one twice is still one meeting.
(() => {
  const config = document.currentScript.dataset;
  const DB_NAME = "tandem-outbox";
  const STORE = "meetings";
  const SAVED = "Saved on this phone — will send when you are online";
  const CONCERN_WAITS = "Your concern has not reached your coordinator yet. If it is urgent, phone them.";
  // A server error this many times over: kept for the mentor to open, no longer sent alone.
  const SERVER_ERRORS_KEPT = 5;

  if ("serviceWorker" in navigator && config.serviceWorker) {
    navigator.serviceWorker.register(config.serviceWorker, { scope: "/" }).catch(() => {});
  }

  // --- The store (IndexedDB): one record per meeting form, keyed by its client_id ----------
  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "clientId" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(mode, work) {
    const db = await openDb();
    try {
      return await new Promise((resolve, reject) => {
        const transaction = db.transaction(STORE, mode);
        const request = work(transaction.objectStore(STORE));
        transaction.oncomplete = () => resolve(request.result);
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
    } finally {
      db.close();
    }
  }

  const all = () => run("readonly", (store) => store.getAll());
  const put = (item) => run("readwrite", (store) => store.put(item));
  const remove = (clientId) => run("readwrite", (store) => store.delete(clientId));

  const mine = (item) => Boolean(config.user) && item.user === config.user;
  const concernOf = (item) => (new URLSearchParams(item.body).get("concern") || "").trim();
  const plural = (n, one, many) => (n === 1 ? one : many);
  const el = (tag, className, text) => Object.assign(document.createElement(tag), { className, textContent: text });
  const currentToken = () => {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };

  // --- The meeting form ---------------------------------------------------------------------
  const form = document.querySelector("form[data-outbox]");
  const formId = form && form.elements.client_id ? form.elements.client_id.value : "";
  let status = null;
  if (form) {
    status = document.createElement("div");
    status.setAttribute("role", "status");
    status.dataset.outboxStatus = "";
    const button = form.querySelector("button[type=submit]");
    (button ? button.parentElement : form).before(status);
  }

  function say(message, kind) {
    status.className = message ? `alert alert-${kind} mt-3` : "";
    status.textContent = message;
  }

  function buttons(disabled, text) {
    form.querySelectorAll("button[type=submit]").forEach((button) => {
      button.dataset.outboxText = button.dataset.outboxText || button.textContent;
      button.disabled = disabled;
      button.textContent = text || button.dataset.outboxText;
    });
  }

  function keptOnPhone() {
    form.dataset.outboxState = "saved";
    buttons(true, "Saved on this phone");
    const concern = form.elements.concern && form.elements.concern.value.trim();
    say(concern ? `${SAVED}. ${CONCERN_WAITS}` : SAVED, "warning");
  }

  // --- With no signal, the questions Tandem would certainly refuse unanswered -----------------
  // The server marks each required question (a group or a wrapper of one input) with
  // data-required, its own words for it unanswered; data-other-missing, data-invalid and
  // data-future its words for the typed "Other", typed minutes out of range and a time ahead
  // of the clock (by more than data-slack-minutes). Online, the server alone says.
  const NO_SIGNAL = "You have no signal: answer these, then tap Log meeting again; it will be kept on this phone";
  const pageTitle = document.title;

  function problemOf(question) {
    const inputs = question.matches("input") ? [question] : [...question.querySelectorAll("input")];
    const ticks = inputs.filter((input) => input.type === "radio" || input.type === "checkbox");
    const typed = inputs.find((input) => !ticks.includes(input));
    const standsForTyped = (input) => typed && typed.dataset.otherFor === input.name && input.value === "other";
    const first = { message: question.dataset.required, target: (inputs[0] || question).id };
    if (ticks.some((input) => input.checked && !standsForTyped(input))) return null;
    if (typed && typed.value !== "") {
      if (!typed.validity.valid) return { message: question.dataset.invalid || first.message, target: typed.id };
      const slack = Number(question.dataset.slackMinutes || 0) * 60 * 1000;
      if (question.dataset.future && new Date(typed.value).getTime() > Date.now() + slack) {
        return { message: question.dataset.future, target: typed.id };
      }
      return null;
    }
    if (typed && ticks.some((input) => input.checked && standsForTyped(input)) && question.dataset.otherMissing) {
      return { message: question.dataset.otherMissing, target: typed.id };
    }
    return first;
  }

  // Each message by its question too, after its legend or label (templates/_field_errors.html).
  function markQuestion(question, message) {
    const box = el("div", "invalid-feedback d-block");
    box.dataset.outboxProblem = "";
    const words = el("strong", "", ` ${message}`);
    words.prepend(el("span", "visually-hidden", "Error:"));
    box.append(el("p", "mb-1"));
    box.firstChild.append(words);
    const heading = question.querySelector("legend, label");
    if (heading) heading.after(box);
    else question.prepend(box);
  }

  // GOV.UK's error summary, drawn as templates/_error_summary.html draws it; gone when empty.
  function showProblems(problems) {
    document.querySelectorAll("[data-error-summary], [data-outbox-problem]").forEach((old) => old.remove());
    problems.forEach((problem) => markQuestion(problem.question, problem.message));
    document.title = problems.length ? `Error: ${pageTitle.replace(/^Error: /, "")}` : pageTitle;
    if (!problems.length) return;
    const summary = el("div", "alert alert-danger error-summary");
    Object.assign(summary.dataset, { errorSummary: "", outboxProblems: "" });
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    summary.setAttribute("aria-labelledby", "error-summary-title");
    const title = el("h2", "h5 alert-heading", "There is a problem");
    title.id = "error-summary-title";
    const list = el("ul", "mb-0 ps-3");
    for (const problem of problems) {
      const link = el("a", "alert-link", problem.message);
      link.href = `#${problem.target}`;
      const li = el("li", "");
      li.append(link);
      list.append(li);
    }
    summary.append(title, el("p", "mb-2", NO_SIGNAL), list);
    form.prepend(summary);
    summary.focus();
  }

  // Ask the browser not to clear the phone's store when space runs short.
  function keepStored() {
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  }

  // Captured before tandem.js's "submit once", which stands aside for a prevented submit.
  document.addEventListener(
    "submit",
    (event) => {
      const target = event.target;
      if (!("outbox" in target.dataset) || target !== form) return;
      if (form.dataset.outboxState === "sending") return; // saved: now the real submit
      event.preventDefault();
      if (form.dataset.outboxState === "saved") return;
      if (!navigator.onLine) {
        // data-required-with: asked only when the field it names is filled in.
        const asked = (question) => !question.dataset.requiredWith || (form.elements[question.dataset.requiredWith]?.value || "").trim();
        const problems = [...form.querySelectorAll("[data-required]")]
          .filter(asked)
          .map((question) => ({ question, ...problemOf(question) }))
          .filter((problem) => problem.message);
        showProblems(problems);
        if (problems.length) return; // nothing kept: it would only be refused later
      }
      const submitter = event.submitter;
      const item = {
        clientId: formId,
        url: form.action,
        body: new URLSearchParams(new FormData(form)).toString(),
        queuedAt: new Date().toISOString(),
        name: form.dataset.outbox,
        user: config.user || "",
        state: "waiting",
        told: !navigator.onLine, // the page says it is kept; otherwise it is sent at once
      };
      const send = () => {
        form.dataset.outboxState = "sending";
        form.requestSubmit(submitter); // dispatches this event again, at once
        form.dataset.outboxState = "";
      };
      keepStored();
      put(item)
        .then(() => (navigator.onLine ? send() : keptOnPhone()))
        .catch(() => {
          if (navigator.onLine) {
            send();
          } else {
            say("This phone could not keep the meeting. Keep this page open and log it again when you have signal.", "danger");
          }
        });
    },
    true,
  );

  // --- Sending what waits ---------------------------------------------------------------------
  // "sent": the server logged it (204: only the outbox's own answer says so). "refused": the
  // server answered with the form again (its errors) or a 4xx, or failed over and over: kept,
  // for the mentor to open. "later": a timeout, too many requests, a redirect to somewhere
  // else, or a server error: kept and tried again, and the next one is tried now. "stop": no
  // network or logged out: nothing else can go either.
  async function sendOne(item) {
    const body = new URLSearchParams(item.body);
    const token = currentToken(); // the session may be newer than the form
    if (token) body.set("csrfmiddlewaretoken", token);
    let response;
    try {
      response = await fetch(item.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-Tandem-Outbox": "1" }, // answered "204 No Content" once it is logged
      });
    } catch (error) {
      return "stop";
    }
    if (response.redirected && new URL(response.url).pathname === config.login) return "stop";
    if (response.status === 204) {
      await remove(item.clientId);
      return "sent";
    }
    if (response.redirected || response.status === 408 || response.status === 429) return "later";
    if (response.status >= 500) {
      const failures = (item.failures || 0) + 1;
      const state = failures >= SERVER_ERRORS_KEPT ? "refused" : "waiting";
      await put({ ...item, failures, state });
      return state === "refused" ? "refused" : "later";
    }
    await put({ ...item, state: "refused" });
    return "refused";
  }

  async function sendWaiting() {
    if (!config.user || !navigator.onLine) return;
    const told = []; // sent, after the mentor was told it was waiting: say it has gone
    for (const item of await all()) {
      if (!mine(item) || item.state !== "waiting") continue;
      const outcome = await sendOne(item);
      const here = item.clientId === formId && form.dataset.outboxState === "saved";
      if (outcome === "sent" && item.told && !here) told.push(item.name || "your mentee");
      if (here) {
        if (outcome === "sent") {
          buttons(true, "Sent");
          say(`Sent: the meeting with ${item.name} is logged.`, "success");
        }
        if (outcome === "refused") {
          // Sent again by hand, the form comes back from Tandem with what to change.
          form.dataset.outboxState = "";
          buttons(false);
          say(`Tandem did not accept the meeting with ${item.name}. Tap “${form.querySelector("button[type=submit]").dataset.outboxText}” to see what to change.`, "danger");
        }
      }
      if (outcome === "stop") break;
    }
    if (told.length) {
      const sent = document.createElement("div");
      sent.className = "alert alert-success";
      sent.setAttribute("role", "status");
      sent.textContent = `Sent from this phone: your ${plural(told.length, "meeting", "meetings")} with ${told.join(", ")} ${plural(told.length, "is", "are")} logged.`;
      document.querySelector("main").prepend(sent);
    }
  }

  let sending = null;
  function sendAll() {
    if (!sending) {
      sending = sendWaiting()
        .catch(() => {})
        .then(show)
        .catch(() => {})
        .finally(() => {
          sending = null;
        });
    }
    return sending;
  }

  // --- What the mentor sees: a note on every page, the list on the outbox page ----------------
  function when(iso) {
    return new Date(iso).toLocaleString("en-GB", { day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });
  }

  // How long it has waited, once that is a day or more: a meeting should not wait for weeks.
  function age(iso) {
    const days = Math.floor((Date.now() - new Date(iso).getTime()) / (24 * 60 * 60 * 1000));
    return days >= 1 ? ` (${days} ${plural(days, "day", "days")} ago)` : "";
  }

  // Send the kept form the usual way, so the server shows it with what to change.
  function open(item) {
    const again = document.createElement("form");
    again.method = "post";
    again.action = item.url;
    again.hidden = true;
    const body = new URLSearchParams(item.body);
    body.set("csrfmiddlewaretoken", currentToken());
    for (const [name, value] of body) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      again.append(input);
    }
    document.body.append(again);
    again.submit();
  }

  function button(text, kind, action) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `btn btn-${kind} me-2 mt-2`;
    element.textContent = text;
    element.addEventListener("click", action);
    return element;
  }

  function listItem(item) {
    const li = el("li", "list-group-item");
    const refused = item.state === "refused";
    li.append(
      el("div", "fw-semibold", `Meeting with ${item.name || "your mentee"}`),
      el("div", "meta", `Saved ${when(item.queuedAt)}${age(item.queuedAt)} · ${refused ? "not accepted by Tandem: open it to see what to change" : "waiting to send"}`),
    );
    if (concernOf(item)) li.append(el("div", "fw-semibold", CONCERN_WAITS));
    if (refused && mine(item) && currentToken()) li.append(button("Open it", "primary", () => open(item)));
    li.append(
      button("Delete from this phone", "outline-danger", () => {
        if (window.confirm(`Delete the meeting with ${item.name || "your mentee"} from this phone? It has not been sent.`)) {
          remove(item.clientId).then(show);
        }
      }),
    );
    return li;
  }

  async function show() {
    const items = await all();
    const list = document.querySelector("[data-outbox-list]");
    if (list) {
      // Listed (or counted) here, the mentor knows it waits: later pages say when it has gone.
      const shown = config.user ? items.filter(mine) : items;
      await Promise.all(shown.filter((item) => !item.told).map((item) => put({ ...item, told: true })));
      list.replaceChildren();
      const n = shown.length;
      const theirs = items.length - n;
      if (n === 0) {
        list.append(el("p", "", "No meetings are waiting on this phone."));
      } else if (!config.user) {
        // Nobody logged in (or the copy kept for no signal): whose they are is not said.
        list.append(el("p", "", `${n} ${plural(n, "meeting is", "meetings are")} waiting on this phone. ${plural(n, "It is", "They are")} sent once you are online and logged in to Tandem.`));
      } else {
        const ul = el("ul", "list-group");
        ul.append(...shown.map(listItem));
        list.append(el("p", "", `${n} ${plural(n, "meeting is", "meetings are")} waiting on this phone.`), ul);
      }
      if (theirs) list.append(el("p", "mt-3", `${theirs} more ${plural(theirs, "meeting belongs", "meetings belong")} to another login on this phone, and ${plural(theirs, "is", "are")} sent when that person logs in.`));
      return;
    }
    // Elsewhere, a note at the top of the page (the form's own meeting has its own status).
    const others = items.filter((item) => mine(item) && item.clientId !== formId);
    let note = document.querySelector("[data-outbox-note]");
    if (others.length === 0 || !config.outboxPage) {
      if (note) note.remove();
      return;
    }
    if (!note) {
      note = document.createElement("div");
      note.dataset.outboxNote = "";
      note.className = "alert alert-warning";
      document.querySelector("main").prepend(note);
    }
    const n = others.length;
    const refused = others.filter((item) => item.state === "refused").length;
    const saved = `${n} ${plural(n, "meeting", "meetings")} saved on this phone`;
    let words = `${saved} ${plural(n, "has", "have")} not been sent yet. `;
    if (refused === n) words = `${saved} ${plural(n, "was", "were")} not accepted by Tandem. `;
    else if (refused) words = `${saved} have not been sent; ${refused} ${plural(refused, "was", "were")} not accepted by Tandem. `;
    const link = document.createElement("a");
    link.href = config.outboxPage;
    link.textContent = refused ? "See what to change" : "See them";
    note.replaceChildren(words, link);
  }

  // The outbox page: say when there is no network; as the stand-in for a page that could not
  // load, try that page again when the network comes back.
  const offlineNote = document.querySelector("[data-outbox-offline]");
  const unreachable = document.querySelector("[data-outbox-unreachable]");
  const standingIn = Boolean(config.outboxPage) && window.location.pathname !== config.outboxPage;
  if (offlineNote) {
    const update = () => {
      offlineNote.hidden = navigator.onLine;
      if (unreachable) unreachable.hidden = !navigator.onLine || !standingIn;
    };
    update();
    window.addEventListener("offline", update);
    window.addEventListener("online", () => {
      update();
      // Standing in for a page that could not load: open it again (by GET, even if it was a
      // form sent into no network: that form is kept here and will be sent).
      if (standingIn) window.location.replace(window.location.href);
    });
  }

  // --- Logging out with meetings still on the phone ------------------------------------------
  // Only this login's meetings are counted and deleted: another login's wait for its owner.
  // Any send under way finishes first (and one is tried, with a network), so the question
  // never offers to delete a meeting that was about to go.
  document.addEventListener(
    "submit",
    (event) => {
      const logout = event.target;
      if (!("outboxLogout" in logout.dataset)) return;
      event.preventDefault();
      const leave = () => logout.submit();
      const waited = navigator.onLine ? sendAll() : sending || Promise.resolve();
      const atMost = new Promise((resolve) => setTimeout(resolve, 10000)); // a hung connection
      Promise.race([waited, atMost])
        .then(all)
        .then((items) => {
          const kept = items.filter(mine);
          if (kept.length === 0) return leave();
          const n = kept.length;
          const question = `You have ${n} ${plural(n, "meeting", "meetings")} saved on this phone that ${plural(n, "has", "have")} not been sent. Log out and delete ${plural(n, "it", "them")}?`;
          if (!window.confirm(question)) return undefined;
          return Promise.all(kept.map((item) => remove(item.clientId))).then(leave, leave);
        })
        .catch(leave);
    },
    true,
  );

  window.addEventListener("online", sendAll);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") sendAll();
  });
  if (!("indexedDB" in window)) return;
  // What the server said of forms sent the usual way: logged (named by the page after), or
  // refused (the form is back with its errors, what was typed on the screen). Either way the
  // phone's copy goes, before anything is sent, so it is neither sent again nor left behind.
  const settled = (config.outboxLogged || "").split(" ").filter(Boolean);
  if (form && "outboxRefused" in form.dataset) settled.push(formId);
  Promise.all(settled.map((clientId) => remove(clientId).catch(() => {})))
    .then(() => {
      if (!form) return undefined;
      return all().then((items) => {
        const kept = items.find((item) => item.clientId === formId && item.state === "waiting");
        if (kept && !navigator.onLine) keptOnPhone();
      });
    })
    .catch(() => {})
    .then(sendAll);
})();
