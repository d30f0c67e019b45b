// experimental.invoke: a command call answered by Python, with errors and aborts.
import { afterEach, expect, test, vi } from "vitest";
import { display, gate, open_widget, per_test, until } from "./harness.js";

const t = per_test();
afterEach(() => {
	delete (/** @type {any} */ (globalThis).abort_invoke);
});

/** Render a module whose button-less render calls `invoke` and shows the outcome. */
const CALLER = `export default {
	async render({ el, experimental, signal }) {
		el.textContent = "calling";
		const controller = new AbortController();
		globalThis.abort_invoke = (reason) => controller.abort(reason);
		try {
			const [response, buffers] = await experimental.invoke("add", { a: 1, b: 2 }, { buffers: [new Uint8Array([0, 1, 0]).subarray(1, 2)], signal: controller.signal });
			el.textContent = "ok " + JSON.stringify(response) + " " + buffers.length;
		} catch (error) {
			el.textContent = "failed " + (error instanceof Error ? error.message : String(error));
		}
	},
};`;

/** @param {import("./harness.js").FakeComm} comm */
function last_command(comm) {
	return comm.customs().at(-1);
}

test("invoke sends a command and resolves with Python's response and buffers", async () => {
	const { model, comm } = await open_widget(t.manager, { _esm: CALLER });
	const view = await display(t.manager, model);
	await until(() => expect(last_command(comm)).toBeDefined());
	const request = last_command(comm);
	expect(request).toEqual({ id: expect.any(String), kind: "anywidget-command", name: "add", msg: { a: 1, b: 2 } });
	expect(request.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	expect(comm.sent.at(-1)?.buffers.map((b) => [...new Uint8Array(ArrayBuffer.isView(b) ? b.buffer : b)])).toEqual([
		[1],
	]);
	await comm.custom({ id: "someone-else", kind: "anywidget-command-response", response: "wrong" });
	await comm.custom({ id: request.id, kind: "anywidget-command-response", response: { sum: 3 } }, [
		new DataView(new ArrayBuffer(1)),
	]);
	await until(() => expect(view.el.textContent).toBe('ok {"sum":3} 1'));
});

test("an error reply rejects with the Python error type and message", async () => {
	const { model, comm } = await open_widget(t.manager, { _anywidget_id: "demo.Calc", _esm: CALLER });
	const view = await display(t.manager, model);
	await until(() => expect(last_command(comm)).toBeDefined());
	await comm.custom({
		id: last_command(comm).id,
		kind: "anywidget-command-response",
		error: { type: "ZeroDivisionError", message: "division by zero" },
	});
	await until(() =>
		expect(view.el.textContent).toBe(
			'failed [esmwidget] demo.Calc: command "add" failed: ZeroDivisionError: division by zero',
		),
	);
});

test("aborting the caller's signal rejects with its reason; a late reply is ignored", async () => {
	const { model, comm } = await open_widget(t.manager, { _esm: CALLER });
	const view = await display(t.manager, model);
	await until(() => expect(last_command(comm)).toBeDefined());
	/** @type {any} */ (globalThis).abort_invoke("user gave up");
	await until(() => expect(view.el.textContent).toBe("failed user gave up"));
	await comm.custom({ id: last_command(comm).id, kind: "anywidget-command-response", response: 1 });
	expect(view.el.textContent).toBe("failed user gave up");
});

test("there is no timeout: a reply long after anywidget's 3 s still resolves", async () => {
	const { model, comm } = await open_widget(t.manager, { _esm: CALLER });
	const view = await display(t.manager, model);
	await until(() => expect(last_command(comm)).toBeDefined());
	vi.useFakeTimers();
	try {
		await vi.advanceTimersByTimeAsync(60_000); // a minute passes
	} finally {
		vi.useRealTimers();
	}
	expect(view.el.textContent).toBe("calling");
	await comm.custom({ id: last_command(comm).id, kind: "anywidget-command-response", response: "late" });
	await until(() => expect(view.el.textContent).toBe('ok "late" 0'));
});

test("invoke inside initialize is answered even though other messages wait for initialize", async () => {
	const done = gate();
	/** @type {any} */ (globalThis).init_done = done.open;
	const { comm } = await open_widget(t.manager, {
		_esm: `export default { async initialize({ experimental }) {
			const [answer] = await experimental.invoke("setup", null);
			globalThis.init_done(answer);
		} };`,
	});
	await until(() => expect(last_command(comm)?.name).toBe("setup"));
	await comm.custom({ id: last_command(comm).id, kind: "anywidget-command-response", response: 42 });
	await expect(done.promise).resolves.toBe(42);
});

test("removing the view rejects its pending calls", async () => {
	const { model, comm } = await open_widget(t.manager, {
		_esm: `export default { render({ experimental }) {
			globalThis.pending_call = experimental.invoke("slow", null).catch((error) => "rejected: " + error.name);
		} };`,
	});
	const view = await display(t.manager, model);
	await until(() => expect(last_command(comm)).toBeDefined());
	view.remove();
	await expect(/** @type {any} */ (globalThis).pending_call).resolves.toBe("rejected: AbortError");
});
