// Progressive enhancement only: every page works without this script.
import { initAll } from "/lib/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Print buttons (no inline handlers: the content security policy forbids them). A button that
// does nothing without script is marked hidden in the page and shown here.
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
  button.hidden = false;
}

// An import's progress: without script the page offers a "Check progress" link; with it, the bar
// follows the job and the page reloads itself once, when the job has finished (no timed refresh,
// which WCAG 2.2.1 rules out).
for (const panel of document.querySelectorAll("[data-import-status]")) {
  const bar = panel.querySelector("progress");
  const text = panel.querySelector("[data-import-percent]");
  const stage = panel.querySelector("label");
  const poll = async () => {
    try {
      const response = await fetch(panel.dataset.importStatus, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const job = await response.json();
        if (!job.inProgress) {
          window.location.reload();
          return;
        }
        bar.value = job.percent;
        bar.textContent = `${job.percent}%`;
        text.textContent = `${job.percent}% done.`;
        if (job.stage) stage.textContent = job.stage;
      }
    } catch {
      // A dropped request is retried on the next tick; the link still works.
    }
    setTimeout(poll, 1500);
  };
  setTimeout(poll, 1000);
}
