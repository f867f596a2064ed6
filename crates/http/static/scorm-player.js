// The SCORM player: one scorm-again API per SCO launch (window.API for SCORM 1.2,
// window.API_1484_11 for 2004), loaded with what the server says the SCO starts from, committing
// to the attempt's commit URL with the page's CSRF token. The SCO runs in the iframe beside the
// table of contents.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("scorm-data").textContent);
  var frame = document.getElementById("scorm-frame");
  var message = document.getElementById("scorm-message");
  var v12 = data.version === "1.2";
  var failure = v12 ? 101 : 391;
  var current = -1;

  function setStatus(index, status, text) {
    var badge = document.querySelector('[data-status-of="' + index + '"]');
    if (badge) {
      badge.textContent = text || status;
      badge.setAttribute("data-status", status);
    }
  }

  // Set once the learner leaves the player page (closes it, follows a link): from then on the
  // browser refuses synchronous requests, and a SCO typically finishes from its own unload handler.
  // The page's beforeunload and pagehide come before the SCO frame's.
  var leaving = false;
  window.addEventListener("beforeunload", function () {
    leaving = true;
  });
  window.addEventListener("pagehide", function () {
    leaving = true;
  });
  window.addEventListener("pageshow", function () {
    leaving = false;
  });

  // A commit while the page unloads: a keepalive fetch, which the browser still sends after the
  // page is gone (bodies up to 64 KiB); nobody is left to read its answer.
  function commitWhileLeaving(url, text) {
    try {
      window
        .fetch(url, {
          method: "POST",
          keepalive: true,
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": data.csrf },
          body: text
        })
        .catch(function () {});
      return true;
    } catch (e) {
      return false;
    }
  }

  // Commits go out as synchronous requests, also on LMSFinish/Terminate, so that the SCO learns
  // whether its data was kept and the CSRF header can be sent (a beacon cannot carry one) — except
  // while the page unloads, see above.
  function commitService(index) {
    var unit = data.units[index];
    return {
      updateSettings: function () {},
      processHttpRequest: function (url, params, immediate) {
        var body = Object.assign({}, params);
        if (immediate) {
          body.terminated = true;
        }
        var text = JSON.stringify(body);
        if (leaving) {
          return commitWhileLeaving(unit.commit_url, text)
            ? { result: "true", errorCode: 0 }
            : { result: "false", errorCode: failure };
        }
        var xhr = new XMLHttpRequest();
        try {
          xhr.open("POST", unit.commit_url, false);
          xhr.setRequestHeader("Content-Type", "application/json");
          xhr.setRequestHeader("X-CSRF-Token", data.csrf);
          xhr.send(text);
        } catch (e) {
          message.textContent = data.texts.commit_failed;
          return { result: "false", errorCode: failure };
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          try {
            var answer = JSON.parse(xhr.responseText);
            setStatus(index, answer.status, answer.status_text);
            if (answer.attempt_status && answer.attempt_status !== "incomplete") {
              message.textContent = answer.attempt_status_text;
              document.body.setAttribute("data-attempt-status", answer.attempt_status);
            }
          } catch (e) {}
          return { result: "true", errorCode: 0 };
        }
        message.textContent = data.texts.commit_failed;
        return { result: "false", errorCode: failure };
      }
    };
  }

  function install(index) {
    var unit = data.units[index];
    var settings = {
      lmsCommitUrl: unit.commit_url,
      autocommit: false,
      logLevel: 4
    };
    var api = v12
      ? new window.Scorm12API(settings, commitService(index))
      : new window.Scorm2004API(settings, commitService(index));
    api.loadFromJSON(unit.cmi, "cmi");
    if (v12) {
      window.API = api;
    } else {
      window.API_1484_11 = api;
    }
  }

  function launch(index) {
    if (index < 0 || index >= data.units.length) {
      return;
    }
    current = index;
    document.querySelectorAll(".scorm-unit").forEach(function (button) {
      button.setAttribute(
        "aria-current",
        button.getAttribute("data-index") === String(index) ? "true" : "false"
      );
    });
    document.getElementById("scorm-previous").disabled = index === 0;
    document.getElementById("scorm-next").disabled = index === data.units.length - 1;
    // The SCO shown so far unloads first (and finishes with its own API), then the next one
    // gets a fresh API.
    var start = function () {
      frame.removeEventListener("load", start);
      install(index);
      frame.setAttribute("data-unit", data.units[index].id);
      frame.src = data.units[index].launch_url;
    };
    if (frame.getAttribute("data-unit")) {
      frame.removeAttribute("data-unit");
      frame.addEventListener("load", start);
      frame.src = "about:blank";
    } else {
      start();
    }
  }

  document.querySelectorAll(".scorm-unit").forEach(function (button) {
    button.addEventListener("click", function () {
      launch(Number(button.getAttribute("data-index")));
    });
  });
  document.getElementById("scorm-previous").addEventListener("click", function () {
    launch(current - 1);
  });
  document.getElementById("scorm-next").addEventListener("click", function () {
    launch(current + 1);
  });
  launch(data.start);
})();
