// Tandem: small progressive enhancements. Every page works without this file.

// Ask before a form with data-confirm is sent (e.g. removing someone's role).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A select with data-autosubmit sends its form when changed (a <noscript> button covers no JS).
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});

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
