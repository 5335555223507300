// Stip: tell the user when this page has lost its kernel (culled after a long pause, server restarted).
// Voilà then drops every click without a message (voila#67); here the page says so and offers a reload.
(function () {
  "use strict";
  var configElement = document.getElementById("jupyter-config-data");
  if (!configElement) { return; }
  var config = JSON.parse(configElement.textContent);
  if (!config.kernelId) { return; }
  var url = (config.baseUrl || "/") + "api/kernels/" + config.kernelId;
  var failures = 0;
  var shown = false;

  function showBanner() {
    if (shown) { return; }
    shown = true;
    var banner = document.createElement("div");
    banner.className = "stip-expired";
    banner.setAttribute("role", "alert");
    var text = document.createElement("span");
    text.textContent = "Deze pagina is verlopen — herlaad de pagina om verder te werken. Wat al is opgeslagen, blijft bewaard.";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Pagina herladen";
    button.addEventListener("click", function () { window.location.reload(); });
    banner.appendChild(text);
    banner.appendChild(button);
    document.body.insertBefore(banner, document.body.firstChild);
  }

  function check() {
    if (shown) { return; }
    fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.status === 404) { showBanner(); }
      failures = 0;
    }).catch(function () {
      failures += 1;
      if (failures >= 2) { showBanner(); }
    });
  }

  window.setInterval(check, 20000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { check(); }
  });
  window.addEventListener("online", check);
  window.addEventListener("focus", check);
})();
