// /api/docs: start the locally served Swagger UI (no inline script, see web/api_docs.py).
(function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: el.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true
  });
})();
