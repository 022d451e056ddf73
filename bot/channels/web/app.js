// Regelwijs web chat: plain JS over the Rasa REST endpoint, no build step.
// All text from the server is inserted with textContent (never as HTML).
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const log = $("log"), form = $("ask"), input = $("input"), status = $("status");
  const notice = $("notice");
  let T = {};
  let lang = sessionStorage.getItem("rw-lang") || ((navigator.language || "nl").startsWith("en") ? "en" : "nl");
  let meldingAcknowledged = sessionStorage.getItem("rw-melding-ok") === "1";
  let sender = sessionStorage.getItem("rw-sender");
  if (!sender) {
    sender = "web-" + (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
    sessionStorage.setItem("rw-sender", sender);
  }

  async function loadTexts() {
    try {
      const r = await fetch("/api/texts?lang=" + encodeURIComponent(lang));
      T = await r.json();
    } catch (e) { T = {}; }
    document.documentElement.lang = lang;
    $("lang").value = lang;
    document.title = T.title || "Regelwijs";
    $("intro").textContent = T.intro || "";
    $("lang-label").textContent = T.language || "Taal";
    $("input-label").textContent = T.input_label || "Je vraag";
    input.placeholder = T.input_placeholder || "";
    $("send").textContent = T.send || "Verstuur";
    log.setAttribute("aria-label", T.log_label || "Gesprek");
    $("notice-text").textContent = T.melding_notice || "";
    $("notice-continue").textContent = T.melding_continue || "OK";
    $("notice-cancel").textContent = T.melding_cancel || "Annuleren";
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function addUser(text) {
    const li = el("li", "msg user");
    li.append(el("span", "who", T.you || "Jij"), el("p", "text", text));
    log.append(li);
    li.scrollIntoView({ block: "end" });
  }

  function addNotice() {
    const li = el("li", "msg bot notice-msg");
    li.setAttribute("role", "alert");
    li.append(el("span", "who", T.bot || "Regelwijs"), el("p", "text", T.melding_notice || ""));
    log.append(li);
  }

  function citationLabel(c) {
    const lines = c.line_start != null
      ? (T.lines || "regels") + " " + c.line_start + (c.line_end && c.line_end !== c.line_start ? "–" + c.line_end : "")
      : "";
    return [c.gemeente ? c.gemeente + " — " + (c.title || "") : (c.title || c.doc || ""), c.section, lines]
      .filter(Boolean).join(", ");
  }

  function addBot(m) {
    const li = el("li", "msg bot");
    const custom = m.custom || {};
    const cits = Array.isArray(custom.citations) ? custom.citations : [];
    // A calculation's quotes are shown below as expandable citations, not twice.
    const text = cits.length && custom.text_without_sources ? custom.text_without_sources : (m.text || "");
    li.append(el("span", "who", T.bot || "Regelwijs"), el("p", "text", text));
    if (cits.length) {
      const box = el("section", "sources");
      box.append(el("h2", null, T.sources || "Bronnen"));
      for (const c of cits) {
        const d = el("details", "citation");
        d.append(el("summary", null, citationLabel(c)));
        d.append(el("blockquote", null, c.quote || ""));
        box.append(d);
      }
      li.append(box);
    }
    if (Array.isArray(m.buttons) && m.buttons.length) {
      const group = el("div", "choices");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", T.choices || "Antwoordkeuzes");
      for (const b of m.buttons) {
        const btn = el("button", null, b.title);
        btn.type = "button";
        btn.dataset.payload = b.payload;
        btn.addEventListener("click", () => {
          group.querySelectorAll("button").forEach((x) => { x.disabled = true; });
          send(b.payload, b.title);
        });
        group.append(btn);
      }
      li.append(group);
    }
    if (custom.answer_id) li.append(feedbackBar(custom.answer_id, cits));
    log.append(li);
    li.scrollIntoView({ block: "end" });
    return li;
  }

  function feedbackBar(answerId, cits) {
    const bar = el("div", "feedback");
    const up = el("button", null, "👍"), down = el("button", null, "👎"), thanks = el("span", "thanks");
    thanks.setAttribute("aria-live", "polite");
    for (const [btn, rating, label] of [[up, "up", T.feedback_up], [down, "down", T.feedback_down]]) {
      btn.type = "button";
      btn.setAttribute("aria-label", label || rating);
      btn.setAttribute("aria-pressed", "false");
      btn.dataset.rating = rating;
      btn.addEventListener("click", async () => {
        up.disabled = down.disabled = true;
        btn.setAttribute("aria-pressed", "true");
        try {
          await fetch("/api/feedback", {
            method: "POST", headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ answer_id: answerId, rating: rating, citations: cits }),
          });
          thanks.textContent = T.feedback_thanks || "Dank je.";
        } catch (e) { up.disabled = down.disabled = false; }
      });
    }
    bar.append(up, down, thanks);
    return bar;
  }

  function askMeldingConsent() {
    return new Promise((resolve) => {
      notice.hidden = false;
      const ok = $("notice-continue"), no = $("notice-cancel");
      const done = (answer) => {
        notice.hidden = true;
        ok.onclick = no.onclick = null;
        input.focus();
        resolve(answer);
      };
      ok.onclick = () => done(true);
      no.onclick = () => done(false);
      ok.focus();
    });
  }

  async function send(message, shown) {
    if (!meldingAcknowledged && /^\/melding_(?!status)/.test(message)) {
      // Warn before the flow starts: what is said from here on is stored for processing.
      if (!(await askMeldingConsent())) return;
      meldingAcknowledged = true;
      sessionStorage.setItem("rw-melding-ok", "1");
    }
    addUser(shown || message);
    status.textContent = T.waiting || "…";
    try {
      const r = await fetch("/webhooks/rest/webhook", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender, message: message, metadata: { language: lang } }),
      });
      const msgs = await r.json();
      status.textContent = "";
      if (!Array.isArray(msgs)) throw new Error("bad reply");
      const melding = msgs.some((m) => (m.custom && m.custom.active_form || "").includes("melding"));
      if (melding && !meldingAcknowledged) {
        addNotice();
        meldingAcknowledged = true;
        sessionStorage.setItem("rw-melding-ok", "1");
      }
      msgs.forEach(addBot);
    } catch (e) {
      status.textContent = T.error || "Er ging iets mis.";
    }
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });

  $("lang").addEventListener("change", (ev) => {
    lang = ev.target.value;
    sessionStorage.setItem("rw-lang", lang);
    loadTexts();
  });

  loadTexts().then(() => input.focus());
})();
