/* Live countdown for group pages. The server renders the seconds left (its
   clock is the truth); the page counts down from that with the monotonic
   performance clock, so a wrong device clock changes nothing. At zero it
   reloads once to show what the server decided. */
(function () {
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  document.querySelectorAll('[data-countdown]').forEach(function (el) {
    var total = parseInt(el.getAttribute('data-seconds'), 10) || 0;
    var started = performance.now();
    function tick() {
      var left = Math.max(0, Math.round(total - (performance.now() - started) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      el.textContent = pad(h) + ':' + pad(m) + ':' + pad(s);
      if (left > 0) { setTimeout(tick, 1000); }
      else if (total > 0 && !sessionStorage.getItem('reloaded:' + location.pathname)) {
        sessionStorage.setItem('reloaded:' + location.pathname, '1');
        setTimeout(function () { location.reload(); }, 1500);
      }
    }
    tick();
  });
})();
