export default {
	render({ model, el }) {
		const button = document.createElement("button");
		button.className = "live";
		const draw = () => {
			button.textContent = `v1 count is ${model.get("count")}`;
		};
		button.addEventListener("click", () => {
			model.set("count", model.get("count") + 1);
			model.save_changes();
		});
		model.on("change:count", draw);
		draw();
		el.append(button);
	},
};
