// handbill's page: send the form to the JSON API, poll the job, show pages, problems and
// downloads. No framework, no other host; the page's words come from words.py (#words).
"use strict";

(function () {
  const W = JSON.parse(document.getElementById("words").textContent);
  const WAIT_S = 10; // the server answers as soon as the job moves on (GET ...?wait=10)
  const LIVE_DELAY_MS = 900;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value; else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function clearProblems(root) {
    root.querySelectorAll("ul.problems").forEach((list) => list.replaceChildren());
    root.querySelectorAll("[aria-invalid]").forEach((field) => field.removeAttribute("aria-invalid"));
  }

  // Each problem beside the field it concerns (its "where"), else in the general list.
  function showProblems(problems) {
    clearProblems(document);
    const general = document.getElementById("general-problems");
    for (const problem of problems || []) {
      const words = W[problem.severity] || problem.severity;
      const item = el("li", { class: problem.severity },
        el("strong", { text: words + ": " }), problem.message + (problem.fix ? "; " + problem.fix : ""));
      const list = document.getElementById((problem.where || "").replace(/\s+/g, "-") + "-problems");
      if (list) {
        list.append(item);
        const field = document.getElementById(problem.where);
        if (field && problem.severity === "error") field.setAttribute("aria-invalid", "true");
        // a field under "More" (the URL, the logo…): open it, or the problem is never seen
        const more = list.closest("details");
        if (more && problem.severity !== "note") more.open = true;
        // an error beside a field far down the form is also named under "Not made. What to
        // change:", as a link to its field
        if (general && problem.severity === "error") {
          general.append(el("li", { class: problem.severity }, el("strong", { text: words + ": " }),
            el("a", { href: "#field-" + problem.where, text: problem.message })));
        }
      } else if (general) {
        general.append(item);
      }
    }
  }

  // On a phone the results are under the form: after pressing a button, show them.
  function reveal() {
    const results = document.querySelector(".results");
    if (results && results.getBoundingClientRect().top > window.innerHeight) results.scrollIntoView();
  }

  function setState(text) {
    const state = document.getElementById("state");
    if (state) state.textContent = text;
  }

  async function poll(url, onProgress) {
    for (;;) {
      const response = await fetch(url + "?wait=" + WAIT_S, { headers: { Accept: "application/json" } });
      const body = await response.json();
      if (!response.ok) return { state: "failed", problems: body.problems || [], files: [] };
      if (onProgress) onProgress(body);
      if (body.state === "done" || body.state === "failed") return body;
      setState(W["state_" + body.state] || body.state);
    }
  }

  function showFiles(job) {
    const files = document.getElementById("files");
    if (!files) return;
    files.replaceChildren();
    for (const file of job.files || []) {
      const pages = el("div", { class: "pages" });
      (file.previews || []).forEach((src, index) => {
        pages.append(el("img", { src: src, alt: file.name + ", " + W.page + " " + (index + 1) }));
      });
      const link = file.url ? el("a", { href: file.url, download: file.name, class: "download" }, W.download + " " + file.name) : null;
      files.append(el("article", { class: "file" },
        el("h3", { text: file.name + " (" + file.pages + " " + (file.pages === 1 ? W.page_of : W.pages_of) + ")" }), link, pages));
    }
    const downloads = document.getElementById("downloads");
    if (downloads) {
      downloads.hidden = !job.kit;
      if (job.kit) document.getElementById("kit-link").setAttribute("href", job.kit);
    }
    const kept = document.getElementById("kept");
    if (kept) kept.hidden = !job.kit;
  }

  // --- build and batch forms ---------------------------------------------------------------
  function jobForm(form) {
    const kind = form.dataset.kind;
    let timer = null;
    let latest = 0;
    let current = null; // the id of the job on screen
    let sent = ""; // what the form held when it was last sent

    function signature() {
      return JSON.stringify([...new FormData(form)].map(([key, value]) =>
        [key, typeof value === "string" ? value : [value.name, value.size, value.lastModified]]));
    }

    async function remove(id) {
      if (id) await fetch("/api/" + kind + "/" + id, { method: "DELETE" }).catch(() => null);
    }

    async function submit(explicit) {
      const mine = ++latest;
      document.body.dataset.job = "busy";
      if (explicit) reveal();
      const data = new FormData(form);
      sent = signature();
      setState(W.state_queued);
      let response;
      try {
        response = await fetch(form.getAttribute("action"), { method: "POST", body: data });
      } catch (error) {
        setState(W.network_error);
        return;
      }
      const body = await response.json().catch(() => ({ problems: [] }));
      if (mine !== latest) return;
      if (!response.ok) {
        setState(W.state_failed);
        showProblems(body.problems);
        showFiles({ files: [] });
        document.body.dataset.job = "failed";
        return;
      }
      const progress = document.getElementById("progress");
      const job = await poll(body.url, (status) => {
        if (progress && status.progress) {
          progress.hidden = false;
          progress.max = status.progress.total || 1;
          progress.value = status.progress.done;
        }
      });
      if (mine !== latest) { remove(body.id); return; } // typed again meanwhile: this one is stale
      const previous = current;
      current = body.id;
      if (previous && previous !== current) remove(previous);
      if (progress && job.state === "done") progress.value = progress.max;
      setState(job.state === "done" ? W.state_done : W.state_failed);
      showProblems(job.problems);
      showFiles(job);
      form.dispatchEvent(new CustomEvent("handbill:done", { detail: job }));
      document.body.dataset.job = job.state;
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      clearTimeout(timer);
      submit(true);
    });
    if (form.dataset.live) {
      const later = () => {
        clearTimeout(timer);
        const text = form.querySelector("#text").value.trim();
        const title = form.querySelector("#title").value.trim();
        if ((text || title) && signature() !== sent) timer = setTimeout(() => submit(false), LIVE_DELAY_MS);
      };
      form.addEventListener("input", later);
      form.addEventListener("change", later);
    }
    const deleteButton = document.getElementById("delete-job");
    if (deleteButton) {
      deleteButton.addEventListener("click", async () => {
        await remove(current);
        current = null;
        showFiles({ files: [] });
        setState(W.deleted);
      });
    }
  }

  // A statement file is read here, into the text box: the form then sends text only.
  document.querySelectorAll("input[type=file][data-into]").forEach((input) => {
    input.addEventListener("change", () => {
      const file = input.files[0];
      if (!file) return;
      const reader = new FileReader();
      reader.onload = () => {
        const box = document.getElementById(input.dataset.into);
        box.value = reader.result;
        box.dispatchEvent(new Event("input", { bubbles: true }));
      };
      reader.readAsText(file);
    });
  });

  // The print shop's paper and marks only mean something for the print shop.
  document.querySelectorAll("input[name=printer]").forEach((radio) => {
    radio.addEventListener("change", () => {
      const shop = document.querySelector("input[name=printer]:checked").value === "print-shop";
      document.querySelectorAll(".shop-only input").forEach((input) => { input.disabled = !shop; });
    });
  });

  document.querySelectorAll("form.job-form").forEach(jobForm);

  // --- check a PDF ---------------------------------------------------------------------------
  const check = document.getElementById("check");
  if (check) {
    let checked = null; // the job holding the page images of the PDF on screen
    const forget = (id) => id && fetch("/api/builds/" + id, { method: "DELETE" }).catch(() => null);
    const shown = (on) => ["downloads", "kept"].forEach((id) => { document.getElementById(id).hidden = !on; });
    document.getElementById("delete-check").addEventListener("click", async () => {
      await forget(checked);
      checked = null;
      document.getElementById("report").replaceChildren();
      shown(false);
      setState(W.deleted);
    });
    check.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearProblems(document);
      const report = document.getElementById("report");
      report.replaceChildren();
      shown(false);
      forget(checked); // a new check: the last one's pages are not kept
      checked = null;
      setState(W.checking);
      reveal();
      let response;
      try {
        response = await fetch("/api/check", { method: "POST", body: new FormData(check) });
      } catch (error) {
        setState(W.network_error);
        return;
      }
      const body = await response.json().catch(() => ({ problems: [] }));
      if (!response.ok) {
        setState(W.state_failed);
        showProblems((body.problems || []).map((p) => ({ ...p, where: p.where || "pdf" })));
        return;
      }
      const job = response.headers.get("X-Handbill-Job");
      checked = job;
      shown(Boolean(job));
      const status = job ? await (await fetch("/api/builds/" + job)).json() : { files: [] };
      const previews = (status.files[0] || {}).previews || [];
      const errors = (body.findings || []).filter((f) => f.severity === "error");
      setState(errors.length ? W.check_errors.replace(/:$/, "") + " (" + errors.length + "):" : W.check_ok);
      document.body.dataset.job = "done";
      const general = (body.findings || []).filter((f) => !f.page);
      if (general.length) report.append(findingList(general));
      (body.pages || []).forEach((page, index) => {
        const findings = (body.findings || []).filter((f) => f.page === page.page);
        report.append(el("article", { class: "page-report" },
          previews[index] ? el("img", { src: previews[index], alt: W.page + " " + page.page }) : null,
          el("div", {}, el("h3", { text: W.page + " " + page.page }), findingList(findings))));
      });
    });
  }

  function findingList(findings) {
    const list = el("ul", { class: "problems" });
    for (const finding of findings) {
      list.append(el("li", { class: finding.severity },
        el("strong", { text: (W[finding.severity] || finding.severity) + ": " }), finding.advice || finding.message || ""));
    }
    return list;
  }
})();
