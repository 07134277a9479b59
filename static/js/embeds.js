/* newsgen embeds: click to load. Until the reader presses an embed's button the page asks no
   third party for anything; then the service's player replaces the facade, in a sandboxed iframe.
   The player's address comes from data-embed-src, which newsgen built from the ids in the URL. */
(function () {
  "use strict";
  var PLAYERS = /^https:\/\/(www\.youtube-nocookie\.com\/embed\/|player\.vimeo\.com\/video\/|platform\.twitter\.com\/embed\/|embed\.bsky\.app\/embed\/|www\.instagram\.com\/|www\.tiktok\.com\/embed\/|datawrapper\.dwcdn\.net\/|flo\.uri\.sh\/|embed\.documentcloud\.org\/documents\/|w\.soundcloud\.com\/player\/|open\.spotify\.com\/embed\/|embed\.podcasts\.apple\.com\/)/;
  var SANDBOX = "allow-scripts allow-same-origin allow-popups allow-presentation";

  function load(figure) {
    var src = figure.getAttribute("data-embed-src") || "";
    if (!PLAYERS.test(src)) return;
    var frame = document.createElement("iframe");
    frame.className = "embed__frame";
    frame.setAttribute("sandbox", SANDBOX);
    frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.title = figure.getAttribute("data-embed-title") || "Embedded content";
    frame.src = src;
    var consent = figure.querySelector(".embed__consent");
    if (consent) consent.replaceWith(frame);
    figure.classList.add("is-loaded");
    frame.focus();
  }

  var figures = document.querySelectorAll("figure.embed[data-embed-src]");
  for (var i = 0; i < figures.length; i++) {
    var consent = figures[i].querySelector(".embed__consent");
    var button = figures[i].querySelector(".embed__load");
    if (!consent || !button) continue;
    consent.hidden = false;
    button.addEventListener("click", load.bind(null, figures[i]));
  }
})();
