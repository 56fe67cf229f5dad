// Once a passkey is registered (the ceremony signs the session in), go back to the setup
// page, which then shows the recovery codes once.
document.addEventListener("otp_webauthn.register_complete", function () {
  var next = document.querySelector("input[name='next']");
  var url = document.body.querySelector("[data-setup-url]").dataset.setupUrl;
  window.location.href = url + "?next=" + encodeURIComponent(next ? next.value : "/admin/");
});
