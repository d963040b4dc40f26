// Services near me, with JavaScript: as the person types a place, ask the server for the places
// it may mean (every spelling it knows) and offer them in the field's list. Without JavaScript
// the list holds every known place and an unknown name gets a "did you mean" page.
(function () {
  "use strict";
  var input = document.querySelector("input[data-places]");
  var list = input && document.getElementById(input.getAttribute("list"));
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  var asked = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var typed = input.value.trim();
      if (typed.length < 2 || typed === asked) { return; }
      asked = typed;
      fetch(input.getAttribute("data-places") + encodeURIComponent(typed), {
        headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : [];
      }).then(function (places) {
        if (asked !== typed || !places.length) { return; }
        list.textContent = "";
        places.forEach(function (place) {
          var option = document.createElement("option");
          option.value = place.name;
          list.appendChild(option);
        });
      }).catch(function () { /* the full list stays */ });
    }, 200);
  });
})();
