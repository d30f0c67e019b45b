// The front end of {{class_name}}. esbuild bundles it, with widget.css, into
// src/{{module}}/static/: `npm run build` once, `npm run dev` to rebuild on every save.
import type { WidgetDef } from "./esmwidget";
import "./widget.css";

/** The synced traits of {{class_name}}, as the browser's model holds them. */
type Model = {
  count: number;
};

const widget: WidgetDef<Model> = {
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
