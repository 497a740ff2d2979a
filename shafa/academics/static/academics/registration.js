// When registration is overloaded the server answers 429 with a short message: show it in the
// busy notice instead of leaving the page silent (htmx does not swap error responses by default).
// The app answers an htmx request with an HTML fragment; the reverse proxy, which refuses before
// the request reaches the app (deploy/nginx), answers JSON: show its `detail` as text.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 429) {
    var notice = document.getElementById("acad-busy");
    if (!notice) {
      return;
    }
    var type = event.detail.xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("json") !== -1) {
      var detail = "";
      try {
        detail = JSON.parse(event.detail.xhr.responseText).detail || "";
      } catch (error) {
        detail = "";
      }
      notice.textContent = detail;
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      return;
    }
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    event.detail.target = notice;
    event.detail.swapOverride = "innerHTML";
  }
});
