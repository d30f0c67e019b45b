export default {
	render({ model, el, experimental }) {
		const log = document.createElement("pre");
		log.className = "log";
		const say = (text) => {
			log.textContent += `${text}\n`;
		};
		const button = (label, onclick) => {
			const b = document.createElement("button");
			b.textContent = label;
			b.className = `messenger-${label}`;
			b.addEventListener("click", onclick);
			return b;
		};
		model.on("msg:custom", (content, buffers) => {
			say(`python says ${content.text} with ${buffers.map((b) => b.byteLength).join(",")}`);
		});
		const data = new Uint8Array(model.get("data").buffer);
		say(`data ${Array.from(data).join(",")}`);
		el.append(
			button("ping", () => model.send({ text: "ping" }, undefined, [new Uint8Array([1, 2, 3])])),
			button("ask", async () => {
				const [answer, buffers] = await experimental.invoke("double", { n: 21 });
				say(`answer ${answer.n} with ${buffers[0].byteLength}`);
			}),
			button("load", async () => {
				const table = await (await fetch(new URL("./table.json", import.meta.url))).json();
				say(`table has ${table.rows.length} rows`);
			}),
			log,
		);
	},
};
