/* The search index waits until a reader shows they want to search.
 *
 * Material's bundle asks for search/search_index.json as soon as a page loads, and at a large portal's size that
 * one file outweighs the page itself many times over. This script runs in the page's head, before the bundle, and
 * holds back the sending of that one request (and nothing else) until the reader focuses the search box, clicks
 * its label or button, or presses one of Material's search keys ("/", "s", "f"); it is sent at once when the page
 * was opened with a search query (?q=) or the search box already has focus. Material does everything else: it
 * waits for the index before it searches, so what was typed meanwhile is searched as soon as the index arrives.
 * Without JavaScript there is no search box and nothing here runs.
 */
(function () {
  "use strict";
  var request = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
  if (!request || !window.WeakSet) return;
  var open = request.open, send = request.send, abort = request.abort;
  var forIndex = new WeakSet();
  var held = [];
  var wanted = new URLSearchParams(window.location.search).has("q");

  function isIndex(url) {
    var path = new URL(String(url), document.baseURI).pathname;
    return /\/search\/search_index\.json$/.test(path);
  }

  function isSearchBox(element) {
    return !!(element && element.form && element.form.getAttribute("name") === "search");
  }

  function release() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (waiting) { send.apply(waiting.xhr, waiting.args); });
  }

  request.open = function (method, url) {
    if (isIndex(url)) forIndex.add(this); else forIndex.delete(this);
    return open.apply(this, arguments);
  };
  request.send = function () {
    if (!forIndex.has(this) || wanted || isSearchBox(document.activeElement)) {
      return send.apply(this, arguments);
    }
    held.push({ xhr: this, args: arguments });
  };
  // a request Material gives up on before it was sent is forgotten, not sent later
  request.abort = function () {
    var xhr = this;
    held = held.filter(function (waiting) { return waiting.xhr !== xhr; });
    return abort.apply(this, arguments);
  };

  document.addEventListener("focusin", function (event) {
    if (isSearchBox(event.target)) release();
  }, true);
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (target && target.closest("label[for='__search'], form[name='search']")) release();
  }, true);
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target instanceof Element && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && ["/", "s", "f"].indexOf(event.key) >= 0) {
      release();
    }
  }, true);
})();
