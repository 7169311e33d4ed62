// Refreshes the figures every five seconds without reloading the page; says when the server
// cannot be reached. Served as a file: the Content-Security-Policy allows no inline script.
"use strict";
(function () {
  const main = document.getElementById("figures");
  const time = document.getElementById("data-time");
  const connection = document.getElementById("connection");
  if (!main) return;
  async function refresh() {
    try {
      const response = await fetch(main.dataset.live, { credentials: "same-origin", cache: "no-store" });
      if (response.status === 401 || response.status === 403 || response.status === 410) { window.location.reload(); return; }
      if (!response.ok) throw new Error(String(response.status));
      main.innerHTML = await response.text();
      const figures = main.querySelector(".figures");
      if (figures && time) time.textContent = figures.dataset.time;
      connection.textContent = "";
      connection.classList.remove("alert");
    } catch (error) {
      connection.textContent = "нет связи с сервером — показаны последние полученные данные";
      connection.classList.add("alert");
    }
  }
  setInterval(refresh, 5000);
})();
