/* The light and dark switch: the part that can wait until the page has been read.
 *
 * overrides/partials/javascripts/palette.html, in the header, has already chosen the scheme and taken the switch
 * from Material's bundle (its comment says why). This script, deferred, runs once the page is parsed: it shows the
 * switch for the scheme on show (shown any earlier, the rest of the header, still to be read, would push it aside:
 * a layout shift), and answers it as Material's component did. A choice is saved in Material's `__palette` setting;
 * until the reader chooses, the page follows the device's light or dark setting, even as it changes. Without
 * JavaScript the switch stays hidden and the page keeps the first scheme.
 */
(function () {
  "use strict";
  var palette = window.__portal_palette;
  if (!palette) return;
  var inputs = palette.inputs, form = inputs[0].form;

  function showSwitch() {
    inputs.forEach(function (input, i) {
      input.checked = i === palette.current;
      if (input.nextElementSibling instanceof HTMLLabelElement) input.nextElementSibling.hidden = i !== palette.current;
    });
  }

  function choose(index) {
    // Material's style turns off colour transitions while this attribute is on the body
    document.body.setAttribute("data-md-color-switching", "");
    __md_set("__palette", { index: index, color: palette.show(index) });
    showSwitch();
    requestAnimationFrame(function () { document.body.removeAttribute("data-md-color-switching"); });
  }

  showSwitch();
  form.addEventListener("change", function (event) {
    var index = inputs.indexOf(event.target);
    if (index >= 0) choose(index);
  });
  // Enter on the switch chooses the next scheme, as in Material
  form.addEventListener("keydown", function (event) {
    var index = inputs.indexOf(event.target);
    if (event.key !== "Enter" || index < 0) return;
    event.preventDefault();
    var next = inputs[(index + 1) % inputs.length];
    next.click();
    next.focus();
  });
  matchMedia("(prefers-color-scheme: light)").addEventListener("change", function () {
    if (__md_get("__palette")) return;
    palette.show(palette.preferred());
    showSwitch();
  });
})();
