// A widget's own files: `new URL("./x", import.meta.url)` references resolve to what the kernel
// sends, asked once per page; a missing file fails to load, as a 404 would, and says so once.
import { expect, test, vi } from "vitest";
import { files_asked, join, with_files } from "../src/files.js";
import { display, open_widget, per_test, serve_files as serve, until } from "./harness.js";

const t = per_test();

const WASM_ADD = new Uint8Array(
	"0061736d0100000001070160027f7f017f030201000707010361646400000a09010700200020016a0b"
		.match(/../g)
		?.map((byte) => Number.parseInt(byte, 16)) ?? [],
);

const encode = (/** @type {string} */ text) => new TextEncoder().encode(text);

test("fetch, WebAssembly.instantiateStreaming and a module worker load the widget's own files", async () => {
	const esm = `// ${crypto.randomUUID()}
	export default {
		async render({ el }) {
			const table = await (await fetch(new URL("./data/table.json", import.meta.url))).json();
			const wasm = await WebAssembly.instantiateStreaming(fetch(new URL('./engine.wasm', import.meta.url)));
			const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
			const from_worker = await new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); });
			worker.terminate();
			el.textContent = [table.rows, wasm.instance.exports.add(2, 3), from_worker].join(" ");
		},
	};`;
	const worker = `const t = await (await fetch(new URL("./data/table.json", import.meta.url))).json();
	postMessage("worker saw " + t.rows);`;
	const { model, comm } = await open_widget(t.manager, { _esm: esm, _anywidget_id: `files.${crypto.randomUUID()}` });
	const served = serve(comm, {
		"data/table.json": ["application/json", encode('{"rows": 3}')],
		"engine.wasm": ["application/wasm", WASM_ADD],
		"worker.js": ["text/javascript", encode(worker)],
	});
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("3 5 worker saw 3"));
	// Asked once each: the worker's reference to the table is the module's.
	expect(served.sort()).toEqual(["data/table.json", "engine.wasm", "worker.js"]);
});

test("the files of one widget class are asked for once per page, however many widgets and views", async () => {
	const id = `files.${crypto.randomUUID()}`;
	const esm = `// ${crypto.randomUUID()}
	export default { async render({ el }) { el.textContent = await (await fetch(new URL("./a.txt", import.meta.url))).text(); } };`;
	const before = files_asked();
	const first = await open_widget(t.manager, { _esm: esm, _anywidget_id: id });
	const served = serve(first.comm, { "a.txt": ["text/plain", encode("hello")] });
	const views = [await display(t.manager, first.model), await display(t.manager, first.model)];
	const second = await open_widget(t.manager, { _esm: esm, _anywidget_id: id });
	views.push(await display(t.manager, second.model));
	await until(() => expect(views.map((v) => v.el.textContent)).toEqual(["hello", "hello", "hello"]));
	expect(served).toEqual(["a.txt"]);
	expect(files_asked()).toBe(before + 1);
});

test("a missing file fails to load as a 404 would and is named once in the console", async () => {
	const errors = vi.spyOn(console, "error").mockImplementation(() => {});
	const esm = `// ${crypto.randomUUID()}
	export default { async render({ el }) {
		try { await fetch(new URL("../secret.txt", import.meta.url)); el.textContent = "fetched"; }
		catch (error) { el.textContent = "failed: " + error.name; }
	} };`;
	const { model, comm } = await open_widget(t.manager, { _esm: esm, _anywidget_id: `files.${crypto.randomUUID()}` });
	const served = serve(comm, {});
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("failed: TypeError"));
	// The page asks with the `../` kept: the kernel, which owns the rule, refuses it.
	expect(served).toEqual(["../secret.txt"]);
	const said = errors.mock.calls.map((call) => String(call[0])).filter((line) => line.includes("secret"));
	expect(said).toHaveLength(1);
	expect(said[0]).toContain('"../secret.txt" could not be loaded: no file ../secret.txt');
});

test("references are rewritten only where they are relative to import.meta.url", async () => {
	const text = [
		'new URL("./a.wasm", import.meta.url)',
		"new URL('b/c.png', import.meta.url)",
		'new URL("https://example.org/x.js", import.meta.url)',
		'new URL("./a.wasm", document.baseURI)',
		"import.meta.url",
	].join("\n");
	const asked = /** @type {string[]} */ ([]);
	const out = await with_files(text, "sub/", async (path) => {
		asked.push(path);
		return `blob:test/${path}`;
	});
	expect(out.split("\n")).toEqual([
		'new URL("blob:test/sub/a.wasm")',
		'new URL("blob:test/sub/b/c.png")',
		'new URL("https://example.org/x.js", import.meta.url)',
		'new URL("./a.wasm", document.baseURI)',
		"import.meta.url",
	]);
	expect(asked).toEqual(["sub/a.wasm", "sub/b/c.png"]);
	expect(join("w/", "../x.js")).toBe("x.js");
	expect(join("", "../x.js")).toBe("../x.js");
	expect(join("", "./d/./e.json?v=1")).toBe("d/e.json");
});

test("url(./...) in _css becomes the widget's own file; full URLs and #ids stay", async () => {
	const id = `files.${crypto.randomUUID()}`;
	const css = `.dot { background-image: url(./img/dot.png); mask: url(#m); } .x { background: url("https://example.org/a.png"); }`;
	const { model, comm } = await open_widget(t.manager, {
		_esm: "export default { render({ el }) { el.className = 'dot'; } };",
		_css: css,
		_anywidget_id: id,
	});
	const png = Uint8Array.from(
		atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="),
		(c) => c.charCodeAt(0),
	);
	const served = serve(comm, { "img/dot.png": ["image/png", png] });
	const view = await display(t.manager, model);
	const sheet = () => document.querySelector(`[data-esmwidget-css="${id}"]`)?.textContent ?? "";
	await until(() => expect(sheet()).toMatch(/url\("blob:[^"]+"\)/));
	expect(sheet()).toContain("url(#m)");
	expect(sheet()).toContain('url("https://example.org/a.png")');
	expect(served).toEqual(["img/dot.png"]);
	await until(() => expect(getComputedStyle(view.el).backgroundImage).toMatch(/^url\("blob:/));
});

test("hot reload: files the kernel says changed are asked for again and the module reloads", async () => {
	const id = `files.${crypto.randomUUID()}`;
	const esm = `// ${crypto.randomUUID()}
	export default { async render({ model, el }) {
		const text = await (await fetch(new URL("./a.txt", import.meta.url))).text();
		el.textContent = text + " " + model.get("n");
	} };`;
	const { model, comm } = await open_widget(t.manager, { _esm: esm, _anywidget_id: id, n: 1 });
	const files = /** @type {Record<string, [string, Uint8Array]>} */ ({ "a.txt": ["text/plain", encode("v1")] });
	const served = serve(comm, files);
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("v1 1"));
	await comm.update({ n: 2 });
	files["a.txt"] = ["text/plain", encode("v2")];
	await comm.custom({ kind: "esmwidget-files-changed", paths: ["a.txt"] });
	await until(() => expect(view.el.textContent).toBe("v2 2"));
	expect(served).toEqual(["a.txt", "a.txt"]);
});

test("a module's fetch of its file is answered from the bytes the page holds, each time a copy", async () => {
	const esm = `// ${crypto.randomUUID()}
	export default { async render({ el }) {
		const url = new URL("./table.bin", import.meta.url);
		const response = await fetch(url);
		el.dataset.url = url.href;
		el.textContent = response.headers.get("Content-Type") + " " + new Uint8Array(await response.arrayBuffer()).join(",");
	} };`;
	const { model, comm } = await open_widget(t.manager, { _esm: esm, _anywidget_id: `files.${crypto.randomUUID()}` });
	serve(comm, { "table.bin": ["application/octet-stream", new Uint8Array([1, 2, 3])] });
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("application/octet-stream 1,2,3"));
	const url = String(view.el.dataset.url);
	// Not read back through the Blob: with its URL revoked, a GET still gets the bytes.
	URL.revokeObjectURL(url);
	const first = new Uint8Array(await (await fetch(url)).arrayBuffer());
	first[0] = 9;
	expect([...new Uint8Array(await (await fetch(new URL(url))).arrayBuffer())]).toEqual([1, 2, 3]);
	// Anything else goes to the page's own fetch, which knows nothing of a revoked Blob.
	await expect(fetch(url, { method: "POST" })).rejects.toThrow(TypeError);
});
