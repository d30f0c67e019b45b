// The front end of {{class_name}}: an ES module, loaded as is (no build step).
// With ANYWIDGET_HMR=1 in the kernel, saving this file updates every live view.

export default {
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
