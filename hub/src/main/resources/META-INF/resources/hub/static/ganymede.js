// Ganymede's one script: the pages work as plain HTML; this adds API calls with the XSRF header,
// live spawn progress, relative times and live capacity. No framework, no build step.
(function () {
  "use strict";

  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }

  // Every cookie-authenticated change to the API must carry the _xsrf cookie's value as a header.
  function api(method, url, body) {
    var init = { method: method, credentials: "same-origin", headers: { "X-XSRFToken": cookie("_xsrf"), "Accept": "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      var read = type.indexOf("json") >= 0 ? r.json() : r.text().then(function () { return null; });
      return read.then(function (data) {
        if (!r.ok) {
          var err = new Error((data && data.message) || (r.status + " " + r.statusText));
          err.status = r.status;
          throw err;
        }
        return data;
      });
    });
  }

  function say(el, text, kind) {
    if (!el) { if (kind === "bad") { alert(text); } return; }
    el.className = "notice " + (kind || "ok");
    el.textContent = text;
  }

  function statusFor(el) {
    var id = el.getAttribute("data-status");
    return id ? document.getElementById(id) : document.getElementById("flash");
  }

  // {field} in a URL is replaced by that form field's value, escaped as a path segment.
  function fill(url, values) {
    return url.replace(/\{([\w-]+)\}/g, function (_, key) {
      var v = values[key];
      delete values[key];
      return encodeURIComponent(v == null ? "" : v);
    });
  }

  function formValues(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "_xsrf") { return; }
      var type = el.getAttribute("data-type");
      if (el.type === "checkbox") {
        if (type === "bool") { out[el.name] = el.checked; return; }
        if (!el.checked) { return; }
      }
      var v = el.value;
      if (type === "int") { if (v === "") { return; } v = parseInt(v, 10); }
      else if (type === "list") { v = v.split(/[\s,]+/).filter(Boolean); if (!v.length) { return; } }
      else if (type === "names") { v = v.split(/[\s,]+/).filter(Boolean); }
      else if (v === "" && el.hasAttribute("data-omit-empty")) { return; }
      out[el.name] = v;
    });
    return out;
  }

  function afterDone(el, data) {
    var then = el.getAttribute("data-then") || "reload";
    if (then === "reload") { location.reload(); }
    else if (then.indexOf("go:") === 0) { location.href = then.substring(3); }
    else if (then.indexOf("call:") === 0) { handlers[then.substring(5)](el, data); }
  }

  // <button data-api-method="DELETE" data-api-url="..." [data-body='{"remove":true}'] [data-confirm]>
  document.addEventListener("click", function (e) {
    var el = e.target.closest("button[data-api-method]");
    if (!el) { return; }
    e.preventDefault();
    var question = el.getAttribute("data-confirm");
    if (question && !confirm(question)) { return; }
    var body = el.getAttribute("data-body");
    body = body ? JSON.parse(body) : undefined;
    if (el.hasAttribute("data-keep-alive")) {
      // Activity "now" for one server: the culler then counts from this moment.
      body = { servers: {} };
      body.servers[el.getAttribute("data-keep-alive")] = { last_activity: new Date().toISOString() };
    }
    el.disabled = true;
    api(el.getAttribute("data-api-method"), el.getAttribute("data-api-url"), body)
      .then(function (data) { afterDone(el, data); })
      .catch(function (err) { el.disabled = false; say(statusFor(el), err.message, "bad"); });
  });

  // <form data-api-method="POST" data-api-url="/hub/api/users/{name}">: fields become a JSON body.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.hasAttribute("data-api-method")) { return; }
    e.preventDefault();
    var values = formValues(form);
    var url = fill(form.getAttribute("data-api-url"), values);
    var submit = form.querySelector("[type=submit]");
    if (submit) { submit.disabled = true; }
    var body = form.getAttribute("data-api-method") === "DELETE" && !Object.keys(values).length ? undefined : values;
    api(form.getAttribute("data-api-method"), url, body)
      .then(function (data) { if (submit) { submit.disabled = false; } afterDone(form, data); })
      .catch(function (err) { if (submit) { submit.disabled = false; } say(statusFor(form), err.message, "bad"); });
  });

  var handlers = {
    // Token page: the secret is shown once, with a copy button.
    tokenCreated: function (form, data) {
      var box = document.getElementById("new-token");
      document.getElementById("new-token-value").textContent = data.token;
      box.hidden = false;
      form.reset();
      document.getElementById("new-token-value").focus();
    },
    // Home page: a share link's code is shown once, as a full URL to send on.
    shareLinkMade: function (button, data) {
      var box = document.getElementById(button.getAttribute("data-link-box"));
      var value = box.querySelector(".share-link");
      value.textContent = data.full_accept_url || new URL(data.accept_url, location.href).href;
      box.hidden = false;
      button.disabled = false;
      value.focus();
    }
  };

  document.addEventListener("click", function (e) {
    var el = e.target.closest("button[data-copy]");
    if (!el) { return; }
    var text = document.getElementById(el.getAttribute("data-copy")).textContent;
    var done = function () { el.textContent = "Copied"; setTimeout(function () { el.textContent = "Copy"; }, 2000); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      var range = document.createRange();
      range.selectNodeContents(document.getElementById(el.getAttribute("data-copy")));
      var sel = getSelection(); sel.removeAllRanges(); sel.addRange(range);
      document.execCommand("copy");
      done();
    }
  });

  // <time datetime="ISO" data-ago> shows "5 minutes ago"; the exact time stays in the tooltip.
  function ago(iso) {
    var s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    var future = s < 0; s = Math.abs(s);
    var text = s < 45 ? "a few seconds" : s < 5400 ? Math.max(1, Math.round(s / 60)) + " min"
      : s < 129600 ? Math.round(s / 3600) + " h" : Math.round(s / 86400) + " days";
    return future ? "in " + text : text + " ago";
  }
  function refreshTimes() {
    document.querySelectorAll("time[data-ago]").forEach(function (t) {
      var iso = t.getAttribute("datetime");
      if (iso) { t.textContent = ago(iso); t.title = new Date(iso).toLocaleString(); }
    });
    document.querySelectorAll("[data-cull-at]").forEach(function (el) {
      var mins = Math.max(0, Math.round((Date.parse(el.getAttribute("data-cull-at")) - Date.now()) / 60000));
      el.textContent = "stops in " + mins + " min if idle";
    });
  }
  refreshTimes();
  setInterval(refreshTimes, 30000);

  // Spawn page: the unlisted-choice text field is live only while "Other" is selected, and only the
  // chosen profile's options are sent.
  function syncSpawnForm(form) {
    form.querySelectorAll(".profile").forEach(function (card) {
      var radio = card.querySelector("input[name=profile]");
      card.querySelectorAll(".options select, .options input").forEach(function (el) { el.disabled = !radio.checked; });
      card.querySelectorAll("select[data-unlisted]").forEach(function (sel) {
        var text = document.getElementById(sel.getAttribute("data-unlisted"));
        var wrap = text.closest(".unlisted");
        var on = radio.checked && sel.value === "unlisted_choice";
        wrap.hidden = !on;
        text.disabled = !on;
        text.required = on;
      });
    });
  }
  var spawnForm = document.getElementById("spawn-form");
  if (spawnForm) {
    syncSpawnForm(spawnForm);
    spawnForm.addEventListener("change", function () { syncSpawnForm(spawnForm); });
    // Free text is checked as the hub checks it (validation_regex matched from the start); the hub
    // checks again, so a pattern this browser cannot compile only loses the early hint.
    var checkPattern = function (input) {
      var p = input.getAttribute("data-pattern");
      if (!p) { return; }
      var re;
      try { re = new RegExp("^(?:" + p + ")"); } catch (err) { return; }
      var ok = input.disabled || input.value === "" || re.test(input.value);
      input.setCustomValidity(ok ? "" : (input.getAttribute("data-message") || "Must match " + p));
      input.setAttribute("aria-invalid", String(!ok));
    };
    spawnForm.querySelectorAll("input[data-pattern]").forEach(checkPattern);
    spawnForm.addEventListener("input", function (e) { if (e.target.matches("input[data-pattern]")) { checkPattern(e.target); } });
    spawnForm.addEventListener("change", function () { spawnForm.querySelectorAll("input[data-pattern]").forEach(checkPattern); });
    // Live capacity: free GPUs change as others start and stop.
    var capUrl = spawnForm.getAttribute("data-capacity-url");
    if (capUrl) {
      setInterval(function () {
        api("GET", capUrl).then(function (caps) {
          Object.keys(caps || {}).forEach(function (slug) {
            var el = document.getElementById("capacity-" + slug);
            if (el) { el.textContent = caps[slug].text; el.className = "capacity " + (caps[slug].fits ? "free" : "wait"); }
          });
        }).catch(function () {});
      }, 15000);
    }
  }

  // Spawn-pending page: the progress stream drives the bar; ready goes to the server.
  var pending = document.getElementById("spawn-progress");
  if (pending) {
    var bar = pending.querySelector("progress");
    var label = document.getElementById("progress-label");
    var log = document.getElementById("progress-events");
    var failure = document.getElementById("spawn-failed");
    var source = new EventSource(pending.getAttribute("data-progress-url"));
    var finished = false;
    source.onmessage = function (m) {
      var ev = JSON.parse(m.data);
      if (typeof ev.progress === "number") {
        bar.value = ev.progress;
        bar.textContent = ev.progress + " %";
        label.textContent = ev.progress + " %";
      }
      if (ev.message) {
        var li = document.createElement("li");
        var pct = document.createElement("span");
        pct.className = "pct";
        pct.textContent = (ev.progress == null ? "" : ev.progress + " %");
        var msg = document.createElement("span");
        msg.textContent = ev.message;
        li.appendChild(pct); li.appendChild(msg);
        log.appendChild(li);
        log.scrollTop = log.scrollHeight;
      }
      if (ev.ready) {
        finished = true;
        source.close();
        document.getElementById("progress-state").textContent = pending.getAttribute("data-ready-text") || "Your server is ready. Opening it…";
        document.getElementById("cancel-spawn").hidden = true;
        setTimeout(function () { location.href = ev.url || pending.getAttribute("data-server-url"); }, 600);
      } else if (ev.failed) {
        finished = true;
        source.close();
        document.getElementById("progress-state").textContent = pending.getAttribute("data-failed-text") || "The server could not start.";
        document.getElementById("progress-title").textContent = pending.getAttribute("data-failed-title") || "The server did not start";
        bar.classList.add("failed");
        document.getElementById("spawn-failed-reason").textContent = ev.message || "Spawn failed";
        var hint = adviceFor(ev.message || "");
        if (hint) { document.getElementById("spawn-failed-hint").textContent = hint; }
        failure.hidden = false;
        document.getElementById("cancel-spawn").hidden = true;
        failure.querySelector("a").focus();
      } else if (ev.message === "Start cancelled") {
        finished = true;
        source.close();
      }
    };
    source.onerror = function () {
      if (!finished) { document.getElementById("progress-state").textContent = "Connection lost; retrying…"; }
    };
  }
  // What to do, in plain words, for the failures people meet most.
  function adviceFor(message) {
    var m = message.toLowerCase();
    if (m.indexOf("image") >= 0 && (m.indexOf("pull") >= 0 || m.indexOf("not found") >= 0)) {
      return "The image could not be downloaded: check its name and tag, or pick a listed image.";
    }
    if (m.indexOf("insufficient") >= 0 || m.indexOf("nodes are available") >= 0) {
      return "No machine has room for this profile right now: try again in a few minutes, or pick a smaller profile or another GPU type.";
    }
    if (m.indexOf("within") >= 0 || m.indexOf("timeout") >= 0 || m.indexOf("timed out") >= 0) {
      return "The start took too long, often because a new machine had to join: try again; it is usually quicker the second time.";
    }
    return "";
  }

  handlers.cancelled = function () {
    if (source) { finished = true; source.close(); }
    document.getElementById("progress-state").textContent = "Start cancelled.";
    document.getElementById("progress-title").textContent = "Start cancelled";
    document.getElementById("cancel-spawn").hidden = true;
    document.getElementById("spawn-cancelled").hidden = false;
  };

  // Sections that depend on APIs a hub may not have (404: the section stays hidden).
  var culler = document.getElementById("culler");
  if (culler) {
    api("GET", "/hub/api/culler").then(function (c) {
      var rows = [["Enabled", c.enabled ? "yes" : "no"], ["Idle timeout", c.timeout + " s"], ["Checked every", c.every + " s"],
        ["Maximum age", c.max_age ? c.max_age + " s" : "off"], ["This replica leads", c.leader ? "yes" : "no"]];
      if (c.last_pass) {
        Object.keys(c.last_pass).forEach(function (k) { rows.push(["Last pass: " + k.replace(/_/g, " "), String(c.last_pass[k])]); });
      } else {
        rows.push(["Last pass", "not yet"]);
      }
      var dl = culler.querySelector("dl");
      rows.forEach(function (r) {
        var dt = document.createElement("dt"); dt.textContent = r[0];
        var dd = document.createElement("dd"); dd.textContent = r[1];
        dl.appendChild(dt); dl.appendChild(dd);
      });
      culler.hidden = false;
    }).catch(function () {});
  }

  var schedules = document.getElementById("schedules");
  if (schedules) {
    var url = schedules.getAttribute("data-url");
    api("GET", url).then(function (list) {
      var items = Array.isArray(list) ? list : (list && (list.items || list.schedules)) || [];
      var body = schedules.querySelector("tbody");
      items.forEach(function (s) {
        var tr = document.createElement("tr");
        var next = s.next_run ? new Date(s.next_run).toLocaleString() : "";
        [s.server_name || "default", s.cron, s.time_zone, s.user_options && s.user_options.profile || "", next].forEach(function (v, i) {
          var td = document.createElement("td");
          td.setAttribute("data-label", ["Server", "When (cron)", "Time zone", "Profile", "Next start"][i]);
          td.textContent = v;
          tr.appendChild(td);
        });
        var td = document.createElement("td");
        var del = document.createElement("button");
        del.className = "danger"; del.type = "button"; del.textContent = "Delete";
        del.setAttribute("data-api-method", "DELETE");
        del.setAttribute("data-api-url", url + "/" + encodeURIComponent(s.id));
        del.setAttribute("data-status", "schedules-status");
        td.appendChild(del); tr.appendChild(td);
        body.appendChild(tr);
      });
      schedules.querySelector(".empty").hidden = items.length > 0;
      schedules.hidden = false;
    }).catch(function () {});
  }
  // Schedule forms (a user's own on home, a group's on admin) send user_options as an object built
  // from their profile field.
  document.querySelectorAll("form.schedule-form").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      e.stopImmediatePropagation();
      var v = formValues(form);
      postAndReload(form, { server_name: v.server_name || "", cron: v.cron, time_zone: v.time_zone || "UTC",
        user_options: v.profile ? { profile: v.profile } : {} });
    }, true);
  });
  // Share forms (home) send {"user": name} or {"group": name}, as the kind field says.
  document.querySelectorAll("form.share-form").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = {};
      body[form.elements.kind.value] = form.elements.name.value.trim();
      postAndReload(form, body);
    });
  });
  function postAndReload(form, body) {
    api("POST", form.getAttribute("data-url"), body).then(function () { location.reload(); })
      .catch(function (err) { say(statusFor(form), err.message, "bad"); });
  }
  // Home page: a new named server goes to its own spawn page.
  var newServer = document.getElementById("new-server");
  if (newServer) {
    newServer.addEventListener("submit", function (e) {
      e.preventDefault();
      location.href = newServer.getAttribute("data-spawn-base") + encodeURIComponent(newServer.elements.server_name.value);
    });
  }
  document.querySelectorAll("input[name=time_zone]").forEach(function (tz) {
    if (!tz.value && window.Intl) { tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"; }
  });
})();
