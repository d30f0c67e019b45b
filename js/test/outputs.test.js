// What Python prints or raises while it handles a message from the page goes below the widget's
// newest view (outputs.js), for updates (save_changes) and custom messages alike.
import { expect, test } from "vitest";
import { display, open_widget, per_test, until } from "./harness.js";

const t = per_test();

const BUTTON = () => `// ${crypto.randomUUID()}
export default { render({ model, el }) {
	const b = document.createElement("button");
	b.textContent = "go";
	b.onclick = () => { model.set("count", 1); model.save_changes(); model.send({ hello: 1 }); };
	el.append(b);
} };`;

/**
 * What the kernel would send back, as the reply's output, for the page message `sent`.
 *
 * @param {any} sent
 * @param {string} type
 * @param {any} content
 */
function output(sent, type, content) {
	sent.callbacks.iopub.output({ header: { msg_type: type }, parent_header: { msg_id: sent.msg_id }, content });
}

test("output and tracebacks of Python's handling go below the newest view, in order", async () => {
	const { model, comm } = await open_widget(t.manager, { _esm: BUTTON(), count: 0 });
	const first = await display(t.manager, model);
	const second = await display(t.manager, model); // displayed again: output goes below this one
	await until(() => expect(second.el.querySelector("button")).not.toBeNull());
	second.el.querySelector("button")?.click();
	await until(() => expect(comm.sent.length).toBeGreaterThanOrEqual(2));
	const [update, custom] = comm.sent.slice(-2);
	expect([update.data.method, custom.data.method]).toEqual(["update", "custom"]);
	output(update, "stream", { name: "stdout", text: "python saw 1\n" });
	output(update, "stream", { name: "stdout", text: "and again\n" });
	output(custom, "error", {
		ename: "ValueError",
		evalue: "boom",
		traceback: ["\u001b[31mTraceback\u001b[0m", "ValueError: boom"],
	});
	const box = second.el.nextElementSibling;
	expect(box?.className).toBe("esmwidget-callback-output");
	expect([...(box?.children ?? [])].map((pre) => pre.textContent)).toEqual([
		"python saw 1\nand again\n",
		"Traceback\nValueError: boom",
	]);
	expect(first.el.nextElementSibling?.className).not.toBe("esmwidget-callback-output");
	// The view removed: its box goes, and output goes below the view left.
	second.remove();
	expect(box?.isConnected).toBe(false);
	output(update, "stream", { name: "stderr", text: "later\n" });
	expect(first.el.nextElementSibling?.textContent).toBe("later\n");
});

test("with no view in the page, output goes where the page's own callbacks send it", async () => {
	const { model } = await open_widget(t.manager, { _esm: BUTTON() });
	/** @type {any[]} */
	const seen = [];
	const base = { iopub: { output: (/** @type {any} */ msg) => seen.push(msg) } };
	const callbacks = /** @type {any} */ (model.constructor).prototype.callbacks.call(
		Object.assign(Object.create(model), { widget_manager: { callbacks: () => base } }),
	);
	callbacks.iopub.output({ header: { msg_type: "stream" }, content: { name: "stdout", text: "x" } });
	expect(seen).toHaveLength(1);
});
