// Every page: the console's address and CSRF token (from the body's data attributes, never an
// inline script), and the confirmation a form asks for in its data-confirm attribute.
(function () {
  "use strict";
  var body = document.body;
  window.PARTYBOT = {base: body.dataset.base || "", csrf: body.dataset.csrf || ""};
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form && form.dataset ? form.dataset.confirm : undefined;
    if (question && !window.confirm(question)) { e.preventDefault(); }
  }, true);
})();
