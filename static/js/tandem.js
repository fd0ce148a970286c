// Tandem: small progressive enhancements. Every page works without this file.

// Ask before a form with data-confirm is sent (e.g. removing someone's role).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// After a save the page comes back with its confirmations at the top (_messages.html). Focus
// moves to the box that holds them all (as GOV.UK's success banner takes it), so a screen
// reader reads every one, unless something else (an error summary) has the focus already. A
// page sent to a section (#goals, after ✓ Done on a step) shows that section's confirmation
// inside it, and the focus goes there, without scrolling away from the section.
const section = location.hash && document.getElementById(location.hash.slice(1));
const confirmations = [...document.querySelectorAll("main [data-messages]")].find(
  (box) => box.querySelector(".alert") && (location.hash ? section && section.contains(box) : true)
);
if (confirmations && document.activeElement === document.body) {
  confirmations.focus({ preventScroll: true });
}

// A form with data-submit-once is sent once: a double tap does not send it again. (The
// server is idempotent on the form's client_id anyway; this just saves a round trip.)
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!("submitOnce" in form.dataset) || event.defaultPrevented) return;
  if (form.dataset.submitted) {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "1";
  form.querySelectorAll("button[type=submit]").forEach((button) => {
    button.disabled = true;
    button.textContent = "Saving…";
  });
});

// Typing minutes under "How long" chooses "Other"; choosing a length clears the minutes.
document.addEventListener("input", (event) => {
  const name = event.target.dataset.otherFor;
  if (!name) return;
  const other = event.target.form.querySelector(`input[name="${name}"][value="other"]`);
  if (other) other.checked = event.target.value !== "";
});
document.addEventListener("change", (event) => {
  const input = event.target;
  if (input.type !== "radio" || input.value === "other") return;
  const box = input.form && input.form.querySelector(`[data-other-for="${input.name}"]`);
  if (box) box.value = "";
});

// A report being built shows its progress; when it is done the page reloads to show it.
document.querySelectorAll("[data-progress-url]").forEach((box) => {
  const bar = box.querySelector(".progress-bar");
  const meter = box.querySelector("[role=progressbar]");
  const message = box.querySelector("[data-progress-message]");
  // The bar's length is drawn from here, not from a style attribute, which the
  // Content-Security-Policy refuses. Without this file the bar shows its figure.
  bar.style.width = `${meter.getAttribute("aria-valuenow")}%`;
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const state = await response.json();
        bar.style.width = `${state.progress}%`;
        bar.textContent = `${state.progress}%`;
        meter.setAttribute("aria-valuenow", state.progress);
        message.textContent = state.message;
        if (state.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // A dropped connection: try again on the next tick.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 500);
});

// GOV.UK's error summary: focused when the page loads, so a screen reader reads it first and
// a keyboard starts from it. Its links focus their field and show the field's label or
// legend too (a plain jump to the id would hide the question above the top of the screen).
// Listened for on the page, so a summary drawn later (outbox.js, with no signal) works too.
const errorSummary = document.querySelector("[data-error-summary]");
if (errorSummary) errorSummary.focus();
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  const input = link && document.getElementById(link.getAttribute("href").slice(1));
  if (!input) return;
  event.preventDefault();
  const question = input.closest("fieldset")?.querySelector("legend") ||
    document.querySelector(`label[for="${input.id}"]`) || input;
  question.scrollIntoView();
  input.focus({ preventScroll: true });
});

// A table that may scroll sideways has a hint (data-scroll-hint="<its box's id>"), shown
// only while the table is wider than its box, whatever the screen's width. Without this
// file the hint always shows; its words hold either way.
document.querySelectorAll("[data-scroll-hint]").forEach((hint) => {
  const box = document.getElementById(hint.dataset.scrollHint);
  if (!box) return;
  const show = () => {
    hint.hidden = box.scrollWidth <= box.clientWidth;
  };
  new ResizeObserver(show).observe(box);
});
