// When registration is overloaded the server answers 429 with a short message: show it in the
// busy notice instead of leaving the page silent (htmx does not swap error responses by default).
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 429) {
    var notice = document.getElementById("acad-busy");
    if (notice) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      event.detail.target = notice;
      event.detail.swapOverride = "innerHTML";
    }
  }
});
