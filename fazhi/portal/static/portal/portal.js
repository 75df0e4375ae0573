// Cascading selects on 我要反映: choosing a level loads the next; without JavaScript the
// server still validates each level against its parent.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select.dataset || !select.dataset.child) return;
  var form = select.form;
  var url = form.dataset.optionsUrl.replace("KIND", select.dataset.kind);
  var child = document.getElementById(select.dataset.child);
  for (var next = child; next; next = next.dataset.child ? document.getElementById(next.dataset.child) : null) {
    next.innerHTML = '<option value="">请选择</option>';
  }
  if (!select.value) return;
  fetch(url + "?parent=" + encodeURIComponent(select.value), { credentials: "same-origin" })
    .then(function (response) { return response.text(); })
    .then(function (html) { child.innerHTML = '<option value="">请选择</option>' + html; });
});
document.addEventListener("click", function (event) {
  if (event.target.matches("[data-print]")) window.print();
});
