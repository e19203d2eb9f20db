/* formcheck web app: upload progress, live job status, the review player, the side-by-side.
   Plain JavaScript, no libraries, no inline scripts (the Content-Security-Policy forbids them). */
"use strict";

(function () {
  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  /* ---------------------------------------------------------------- upload with progress */
  function setupUpload() {
    var form = $("#upload-form");
    if (!form) return;
    var bar = $("#upload-progress"), message = $("#upload-message"), button = $("#send");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-CSRF-Token", form.elements.csrf_token.value);
      xhr.setRequestHeader("Accept", "application/json");
      bar.hidden = false; bar.value = 0; button.disabled = true;
      message.textContent = "Uploading…";
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          bar.value = Math.round(100 * e.loaded / e.total);
          message.textContent = "Uploading… " + bar.value + "%";
        }
      });
      xhr.addEventListener("load", function () {
        button.disabled = false;
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
        if (xhr.status === 201) {
          bar.value = 100;
          message.textContent = "Sent: " + body.name + ". Your coach will see it once it is analysed.";
          message.className = "ok";
          form.reset();
          refreshUploads();
        } else {
          message.textContent = body.error || ("The upload failed (" + xhr.status + ").");
          message.className = "error";
        }
      });
      xhr.addEventListener("error", function () {
        button.disabled = false;
        message.textContent = "The connection broke: try again.";
        message.className = "error";
      });
      xhr.send(data);
    });
  }

  function refreshUploads() {
    var list = $("#uploads");
    if (!list) return;
    fetch(list.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        list.textContent = "";
        var pending = false;
        body.uploads.forEach(function (u) {
          var li = document.createElement("li");
          li.dataset.video = u.id;
          li.appendChild(document.createTextNode(u.name + " · "));
          var s = document.createElement("span");
          s.className = "status " + u.status; s.textContent = u.status;
          li.appendChild(s);
          if (u.error) {
            var e = document.createElement("span");
            e.className = "error"; e.textContent = " " + u.error;
            li.appendChild(e);
          }
          list.appendChild(li);
          pending = pending || u.status === "queued" || u.status === "running";
        });
        if (pending) setTimeout(refreshUploads, 1500);
      })
      .catch(function () { setTimeout(refreshUploads, 3000); });
  }

  /* ---------------------------------------------------------------- live job status */
  function pollJob() {
    var box = $("#job");
    if (!box) return;
    var status = $("#job-status");
    function tick() {
      fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (body) {
          if (body.status !== status.textContent) {
            if (body.status === "done" || body.status === "failed") { window.location.reload(); return; }
            status.textContent = body.status;
            status.className = "status " + body.status;
          }
          setTimeout(tick, 1000);
        })
        .catch(function () { setTimeout(tick, 3000); });
    }
    if (status.textContent === "queued" || status.textContent === "running") setTimeout(tick, 1000);
  }

  function pollSetRows() {
    $all("span.status[data-status-url]").forEach(function (span) {
      function tick() {
        fetch(span.dataset.statusUrl, { headers: { Accept: "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (body) {
            span.textContent = body.status;
            span.className = "status " + body.status;
            if (body.status === "queued" || body.status === "running") setTimeout(tick, 1500);
          })
          .catch(function () { setTimeout(tick, 3000); });
      }
      if (span.textContent === "queued" || span.textContent === "running") setTimeout(tick, 1500);
    });
  }

  /* ---------------------------------------------------------------- review player */
  function setupPlayer() {
    var player = $("#player");
    if (!player) return;
    var video = $("#video"), cursor = $("#cursor"), rate = $("#rate");
    var fps = parseFloat(player.dataset.fps) || 30;
    var reps = $all("#timeline rect.rep").map(function (r) {
      return { index: parseInt(r.dataset.rep, 10), t: parseFloat(r.dataset.t), el: r };
    });
    var current = 0;

    function mark(index) {
      current = index;
      $all(".rep.active").forEach(function (el) { el.classList.remove("active"); });
      $all('[data-rep="' + index + '"]').forEach(function (el) {
        if (el.classList.contains("rep")) el.classList.add("active");
      });
    }
    function playRep(index) {
      var rep = reps.filter(function (r) { return r.index === index; })[0];
      if (!rep) return;
      mark(index);
      video.currentTime = rep.t;
      var played = video.play();
      if (played && played.catch) played.catch(function () { /* autoplay refused: stays paused at the rep */ });
    }
    reps.forEach(function (r) {
      r.el.addEventListener("click", function () { playRep(r.index); });
      r.el.addEventListener("keydown", function (e) { if (e.key === "Enter") playRep(r.index); });
    });
    $all("button.seek").forEach(function (b) {
      b.addEventListener("click", function () { playRep(parseInt(b.dataset.rep, 10)); });
    });
    video.addEventListener("timeupdate", function () {
      if (video.duration > 0) cursor.setAttribute("x", String(1000 * video.currentTime / video.duration));
      var here = reps.filter(function (r) { return r.t <= video.currentTime + 0.01; });
      if (here.length && here[here.length - 1].index !== current) mark(here[here.length - 1].index);
    });
    document.addEventListener("keydown", function (e) {
      var tag = (e.target && e.target.tagName) || "";
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || e.ctrlKey || e.metaKey || e.altKey) return;
      var i = reps.map(function (r) { return r.index; }).indexOf(current);
      if (e.key === "n") { playRep(reps[Math.min(reps.length - 1, i + 1)].index); }
      else if (e.key === "p") { playRep(reps[Math.max(0, i - 1)].index); }
      else if (e.key === "." || e.key === ",") {
        video.pause();
        video.currentTime = Math.max(0, video.currentTime + (e.key === "." ? 1 : -1) / fps);
      } else if (e.key === "s") {
        video.playbackRate = video.playbackRate === 1 ? 0.25 : 1;
        rate.textContent = video.playbackRate + "×";
      } else if (e.key === " ") {
        if (video.paused) {
          var p = video.play();
          if (p && p.catch) p.catch(function () {});
        } else video.pause();
      } else { return; }
      e.preventDefault();
    });
    var hash = /^#rep-(\d+)$/.exec(window.location.hash);
    if (hash) mark(parseInt(hash[1], 10));
  }

  /* ---------------------------------------------------------------- side by side */
  function setupCompare() {
    var box = $("#compare");
    if (!box) return;
    var a = box.dataset.a.split(",").map(parseFloat), b = box.dataset.b.split(",").map(parseFloat);
    var va = $("#video-a"), vb = $("#video-b"), phase = $("#compare-phase");
    var names = ["lowering", "rising", "finishing"];
    // piecewise linear: start, bottom, lockout and end of rep A map onto those of rep B
    function mapTime(t) {
      for (var k = 0; k < 3; k++) {
        if (t <= a[k + 1] || k === 2) {
          var span = Math.max(a[k + 1] - a[k], 1e-3);
          // a phase that rep A does not have (a first rep that starts at the bottom): B skips it
          var f = a[k + 1] - a[k] < 1e-3 ? 1 : Math.min(1, Math.max(0, (t - a[k]) / span));
          return { t: b[k] + f * (b[k + 1] - b[k]), rate: (b[k + 1] - b[k]) / span, phase: names[k] };
        }
      }
      return { t: b[3], rate: 1, phase: "" };
    }
    var slow = 1;
    function play(v) {
      // a pause (the end of the rep, the other video pausing) may interrupt a pending play(): not an error
      var p = v.play();
      if (p && p.catch) p.catch(function () {});
    }
    function start() {
      va.currentTime = a[0]; vb.currentTime = b[0];
      va.playbackRate = slow;
      play(va); play(vb);
    }
    function follow() {
      if (!va.paused) {
        if (va.currentTime >= a[3]) { va.pause(); vb.pause(); }
        var m = mapTime(va.currentTime);
        vb.playbackRate = Math.min(4, Math.max(0.25, m.rate * slow));
        if (Math.abs(vb.currentTime - m.t) > 0.08) vb.currentTime = m.t;
        phase.textContent = m.phase;
      }
      window.requestAnimationFrame(follow);
    }
    $("#compare-play").addEventListener("click", start);
    $("#compare-slow").addEventListener("click", function () { slow = slow === 1 ? 0.35 : 1; va.playbackRate = slow; });
    va.addEventListener("pause", function () { vb.pause(); });
    // scrubbing the left video while paused moves the right one to the same phase
    va.addEventListener("seeked", function () {
      if (va.paused) { var m = mapTime(va.currentTime); vb.currentTime = m.t; phase.textContent = m.phase; }
    });
    va.addEventListener("loadedmetadata", function () { va.currentTime = a[0]; });
    vb.addEventListener("loadedmetadata", function () { vb.currentTime = b[0]; });
    window.requestAnimationFrame(follow);
  }

  function setupLinks() {
    $all("input.linkurl").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupUpload(); refreshUploadsIfPending(); pollJob(); pollSetRows(); setupPlayer(); setupCompare(); setupLinks();
  });

  function refreshUploadsIfPending() {
    if ($all("#uploads .status.queued, #uploads .status.running").length) setTimeout(refreshUploads, 1500);
  }
})();
