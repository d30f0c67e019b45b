export default {
	async render({ model, el, host, signal }) {
		const heading = document.createElement("h4");
		heading.className = "card-title";
		heading.textContent = model.get("title");
		const slot = document.createElement("div");
		el.append(heading, slot);
		const child = await host.getWidget(model.get("body"));
		await child.render({ el: slot, signal });
	},
};
