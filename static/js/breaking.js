/* newsgen: the breaking-news banner. Fills the page's #breaking-banner slot from
   breaking.json (written by every build) and shows each story only while its
   `until` is in the future, hiding it on time between builds. First party only:
   no inline script, no third-party request. */
(function () {
  "use strict";
  var slot = document.getElementById("breaking-banner");
  if (!slot || !window.fetch || !window.URL) { return; }
  var src = new URL(slot.getAttribute("data-src"), document.baseURI);
  var timer = null;

  function show(items) {
    var now = Date.now(), next = Infinity, list = document.createElement("ul");
    if (timer !== null) { clearTimeout(timer); timer = null; }
    items = items.filter(function (item) { return Date.parse(item.until) > now; });
    items.forEach(function (item) {
      var li = document.createElement("li"), label = document.createElement("strong"), a = document.createElement("a");
      label.textContent = "Breaking:";
      a.href = new URL(item.url, src).href;
      a.textContent = item.headline;
      li.append(label, " ", a);
      list.append(li);
      next = Math.min(next, Date.parse(item.until));
    });
    if (!items.length) {
      slot.hidden = true;
      slot.replaceChildren();
      return;
    }
    slot.replaceChildren(list);
    slot.hidden = false;
    timer = setTimeout(function () { show(items); }, Math.min(next - now + 100, 2147483000));
  }

  // What the page was built with (the front page draws its banners), until breaking.json answers.
  var drawn = Array.prototype.map.call(slot.querySelectorAll("li[data-until]"), function (li) {
    var a = li.querySelector("a");
    return { headline: a ? a.textContent : "", url: a ? a.href : "", until: li.getAttribute("data-until") };
  });
  if (drawn.length) { show(drawn); }

  fetch(src.href, { cache: "no-cache", credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (Array.isArray(data)) {
        show(data.filter(function (item) {
          return item && typeof item.headline === "string" && typeof item.url === "string" && typeof item.until === "string";
        }));
      }
    })
    .catch(function () { /* offline or opened from disk: keep what the page has */ });
})();
