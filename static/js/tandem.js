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
