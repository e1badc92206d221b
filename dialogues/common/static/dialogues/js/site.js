// Small enhancements only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the first error summary so screen readers announce it.
  const summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
  }
});

// A form marked data-submit-once sends one submission per page: a double click would otherwise
// send a second post that cuts the first one's navigation short, and the person would see the
// answer to the second ("already submitted") instead of the first ("thank you"). The server
// refuses the duplicate anyway; this is only about what the person sees.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.hasAttribute("data-submit-once")) {
    return;
  }
  if (form.dataset.submitting === "yes") {
    event.preventDefault();
    return;
  }
  form.dataset.submitting = "yes";
});

// A page restored from the back/forward cache must accept a submission again.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) {
    for (const form of document.querySelectorAll("form[data-submit-once]")) {
      delete form.dataset.submitting;
    }
  }
});
