/* newsgen: the breaking-news banner. Fills the page's #breaking-banner slot from
   breaking.json (written by every build) and shows each story only while its
   `until` is in the future, hiding it on time between builds. A reader can
   dismiss it (for the rest of the visit). First party: nothing inline, no
   third-party request. */
(function () {
  "use strict";
  var slot = document.getElementById("breaking-banner");
  if (!slot || !window.fetch || !window.URL) { return; }
  var src = new URL(slot.getAttribute("data-src"), document.baseURI), timer = null, KEY = "newsgen-breaking-dismissed";
  function dismissed() { try { return sessionStorage.getItem(KEY) || ""; } catch (e) { return ""; } }

  function show(items) {
    var now = Date.now(), next = Infinity, list = document.createElement("ul"), gone = dismissed();
    clearTimeout(timer);
    items = items.filter(function (item) { return Date.parse(item.until) > now && gone.indexOf(item.url + "|") < 0; });
    items.forEach(function (item) {
      var li = document.createElement("li"), label = document.createElement("strong"), a = document.createElement("a");
      label.textContent = "Breaking:";
      a.href = item.url;
      a.textContent = item.headline;
      li.append(label, " ", a);
      list.append(li);
      next = Math.min(next, Date.parse(item.until));
    });
    if (!items.length) { slot.hidden = true; slot.replaceChildren(); return; }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "breaking-banner__close";
    close.textContent = "Dismiss";
    close.onclick = function () {
      try { sessionStorage.setItem(KEY, gone + items.map(function (i) { return i.url + "|"; }).join("")); } catch (e) { /* private mode */ }
      show([]);
    };
    slot.replaceChildren(list, close);
    slot.hidden = false;
    timer = setTimeout(function () { show(items); }, Math.min(next - now + 100, 2147483000));
  }

  // What the page was built with (the front page draws its banners), until breaking.json answers.
  show(Array.prototype.map.call(slot.querySelectorAll("li[data-until]"), function (li) {
    var a = li.querySelector("a");
    return { headline: a.textContent, url: a.href, until: li.getAttribute("data-until") };
  }));
  fetch(src.href, { cache: "no-cache", credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!Array.isArray(data)) { return; }
      show(data.filter(function (i) {
        return i && typeof i.headline === "string" && typeof i.url === "string" && typeof i.until === "string";
      }).map(function (i) { return { headline: i.headline, url: new URL(i.url, src).href, until: i.until }; }));
    })
    .catch(function () { /* offline or opened from disk: keep what the page has */ });
})();
