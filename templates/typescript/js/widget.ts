// The front end of {{class_name}}. esbuild bundles it, with widget.css, into
// src/{{module}}/static/: `npm run build` once, `npm run dev` to rebuild on every save.
import type { WidgetDef } from "./esmwidget";
// The synced traits of {{class_name}}, written from the Python class (`npm run types`).
import type { {{class_name}}Model } from "./model";
import "./widget.css";

const widget: WidgetDef<{{class_name}}Model> = {
  render({ model, el }) {
    el.classList.add("{{module}}");
    const button = document.createElement("button");
    const show = () => {
      button.textContent = `count is ${model.get("count")}`;
    };
    button.addEventListener("click", () => {
      model.set("count", model.get("count") + 1);
      model.save_changes();
    });
    model.on("change:count", show);
    show();
    el.append(button);
  },
};

export default widget;
