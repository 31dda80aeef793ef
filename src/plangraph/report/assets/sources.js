/* plangraph report: highlight the lines named in the address (#<file>-L<first>[-L<last>]). */
(function () {
  "use strict";

  function mark() {
    document.querySelectorAll(".ln.hl").forEach((e) => { e.classList.remove("hl"); });
    const m = decodeURIComponent(window.location.hash.slice(1)).match(/^(.+?)-L(\d+)(?:-L(\d+))?$/);
    if (!m) { return; }
    const first = parseInt(m[2], 10), last = parseInt(m[3] || m[2], 10);
    for (let i = first; i <= last; i++) {
      const line = document.getElementById(m[1] + "-L" + i);
      if (line) { line.classList.add("hl"); }
    }
    const target = document.getElementById(m[1] + "-L" + first);
    if (target) { target.scrollIntoView({ block: "center" }); }
  }

  window.addEventListener("hashchange", mark);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", mark); } else { mark(); }
})();
