// A live "n / max characters" line under each field with data-controller="gaceta-count".
(function () {
  function register() {
    const app = window.wagtail && window.wagtail.app;
    const Controller = window.StimulusModule && window.StimulusModule.Controller;
    if (!app || !Controller) return;
    app.register("gaceta-count", class extends Controller {
      connect() {
        this.output = document.createElement("p");
        this.output.className = "help gaceta-count";
        this.output.setAttribute("aria-live", "polite");
        this.element.insertAdjacentElement("afterend", this.output);
        this.update = this.update.bind(this);
        this.element.addEventListener("input", this.update);
        this.update();
      }
      disconnect() {
        this.element.removeEventListener("input", this.update);
        this.output.remove();
      }
      update() {
        const max = this.element.maxLength > 0 ? this.element.maxLength : null;
        const count = this.element.value.length;
        this.output.textContent = max ? `${count} / ${max} characters` : `${count} characters`;
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", register);
  else register();
})();
