// The Streamlit component (js/src/streamlit): Streamlit calls its default export at every run
// with that run's data; the page's messages go out through `setStateValue`.
import { afterEach, expect, test } from "vitest";
import esmwidget_component from "../src/streamlit/main.js";
import { identity, until } from "./harness.js";

afterEach(() => {
	document.body.replaceChildren();
});

const COUNTER = `export default {
initialize({ model }) {
  model.on("msg:custom", (content, buffers) => {
    globalThis.heard = (globalThis.heard ?? "") + content.n + ":" + buffers.map((v) => v.byteLength).join(",") + ";";
  });
},
render({ model, el }) {
  const b = document.createElement("button");
  const show = () => { b.textContent = String(model.get("count")); };
  b.onclick = () => { model.set("count", model.get("count") + 1); model.save_changes(); };
  model.on("change:count", show); show(); el.append(b);
} };`;

let keys = 0;

/** A component of its own key, and what it wrote. */
function component() {
	const key = `k${++keys}`;
	const parent = document.createElement("div");
	document.body.append(parent);
	/** @type {any[]} */
	const written = [];
	/**
	 * One run: Streamlit calls the module with this run's data.
	 *
	 * @param {Record<string, unknown>} state the root's state
	 * @param {Record<string, unknown>} [extra] messages, acked
	 * @param {string} [root] the root's model id at this run
	 */
	const run = (state, extra = {}, root = "m1") =>
		esmwidget_component({
			data: /** @type {any} */ ({
				protocol: 1,
				key,
				root,
				models: {
					[root]: {
						model_name: "AnyModel",
						model_module: "esmwidget",
						state: { ...identity("test.St"), _esm: COUNTER, ...state },
					},
				},
				messages: [],
				acked: null,
				...extra,
			}),
			parentElement: parent,
			setStateValue: (/** @type {string} */ name, /** @type {unknown} */ value) =>
				written.push({ name, value: structuredClone(value) }),
		});
	const button = () => /** @type {HTMLButtonElement | null} */ (parent.querySelector("button"));
	return { key, parent, written, run, button };
}

test("the view renders Python's state and a click writes one numbered update", async () => {
	const c = component();
	c.run({ count: 3 });
	await until(() => expect(c.button()?.textContent).toBe("3"));
	c.button()?.click();
	await until(() => expect(c.written).toHaveLength(1));
	const [{ name, value }] = c.written;
	expect(name).toBe("outbox");
	expect(value.seen).toBe(0);
	expect(value.messages).toEqual([
		{ seq: 1, model_id: "m1", root: true, method: "update", state: { count: 4 }, buffers: [] },
	]);
});

test("the page's newer value waits until Python has read it, then Python's value applies", async () => {
	const c = component();
	c.run({ count: 0 });
	await until(() => expect(c.button()?.textContent).toBe("0"));
	c.button()?.click();
	c.button()?.click();
	await until(() => expect(c.written.at(-1)?.value.messages).toHaveLength(2));
	const instance = c.written.at(-1).value.instance;
	// A run that read only the first click: its 1 must not undo the page's 2.
	c.run({ count: 1 }, { acked: { instance, seq: 1 } });
	await new Promise((resolve) => setTimeout(resolve, 20));
	expect(c.button()?.textContent).toBe("2");
	// Python read both, and kept 5 (a validator): the page shows Python's value.
	c.run({ count: 5 }, { acked: { instance, seq: 2 } });
	await until(() => expect(c.button()?.textContent).toBe("5"));
	// The next write carries only what Python has not read.
	c.button()?.click();
	await until(() => expect(c.written.at(-1)?.value.messages.map((/** @type {any} */ m) => m.seq)).toEqual([3]));
});

test("Python's messages reach the module once each, with their binary values", async () => {
	const c = component();
	const message = (/** @type {number} */ seq) => ({ seq, model_id: "m1", content: { n: seq }, buffers: [btoa("abc")] });
	/** @type {any} */ (globalThis).heard = "";
	// The first run's message waits for the module's `initialize`, as a kernel's does.
	c.run({ count: 0 }, { messages: [message(1)] });
	await until(() => expect(/** @type {any} */ (globalThis).heard).toBe("1:3;"));
	c.run({ count: 0 }, { messages: [message(1), message(2)] });
	await until(() => expect(/** @type {any} */ (globalThis).heard).toBe("1:3;2:3;"));
	// The page says what it applied with its next write.
	c.button()?.click();
	await until(() => expect(c.written.at(-1)?.value.seen).toBe(2));
});

test("a widget made anew at each run keeps its view: the model outlives the Python object", async () => {
	const c = component();
	c.run({ count: 1 }, {}, "first");
	await until(() => expect(c.button()?.textContent).toBe("1"));
	const button = c.button();
	c.run({ count: 2 }, {}, "second");
	await until(() => expect(c.button()?.textContent).toBe("2"));
	expect(c.button()).toBe(button); // the same view, not a new render
	c.button()?.click();
	await until(() => expect(c.written.at(-1)?.value.messages[0]).toMatchObject({ model_id: "second", root: true }));
});

test("binary values go to Python as base64 at their path", async () => {
	const c = component();
	const BINARY = `export default { render({ model, el }) {
	  const b = document.createElement("button");
	  b.onclick = () => { model.set("data", new Uint8Array([1, 2, 255])); model.save_changes(); };
	  el.append(b);
	} };`;
	c.run({ _esm: BINARY, data: null });
	await until(() => expect(c.button()).not.toBeNull());
	c.button()?.click();
	await until(() => expect(c.written).toHaveLength(1));
	const [message] = c.written[0].value.messages;
	expect(message.state).toEqual({ data: null });
	expect(message.buffers).toEqual([{ path: ["data"], encoding: "base64", data: btoa("\x01\x02\xff") }]);
});

test("the cleanup removes the view; the next mount under the key shows the same model", async () => {
	const c = component();
	const cleanup = c.run({ count: 4 });
	await until(() => expect(c.button()?.textContent).toBe("4"));
	c.button()?.click();
	await until(() => expect(c.button()?.textContent).toBe("5"));
	cleanup();
	expect(c.parent.querySelector(".esmwidget-view")).toBeNull();
	c.run({ count: 4 });
	// Python has not read the click yet: the remounted view still shows the page's 5.
	await until(() => expect(c.button()?.textContent).toBe("5"));
});

test("a page from another esmwidget version says to reload", () => {
	const parent = document.createElement("div");
	expect(() =>
		esmwidget_component({
			data: /** @type {any} */ ({ protocol: 99 }),
			parentElement: parent,
			setStateValue: () => {},
		}),
	).toThrow(/protocol 1, Python sent 99: reload the page/);
});
