// Binary values survive the trip both ways; code and style keys never leave the page.
import { expect, test, vi } from "vitest";
import { display, open_widget, per_test, until } from "./harness.js";

const t = per_test();

/** @param {ArrayBuffer | ArrayBufferView} buffer */
function bytes(buffer) {
	return ArrayBuffer.isView(buffer)
		? [...new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)]
		: [...new Uint8Array(buffer)];
}

test("binary values set from JS reach the kernel as exact buffers", async () => {
	const { model, comm } = await open_widget(t.manager, {
		_esm: `export default { render({ model, el }) {
			const big = new Uint8Array([9, 9, 1, 2, 3, 9]);
			model.set("part", big.subarray(2, 5));
			model.set("nested", { view: new DataView(new Uint8Array([7, 8]).buffer), list: [new Float32Array([1.5]), 4], label: "x" });
			model.set("raw", new Uint8Array([5, 6]).buffer);
			model.set("plain", { a: [1, "two", null] });
			model.save_changes();
			el.textContent = "saved";
		} };`,
	});
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("saved"));
	const [update] = comm.updates();
	const { state, buffer_paths } = update.data;
	expect(state).toEqual({ nested: { list: [null, 4], label: "x" }, plain: { a: [1, "two", null] } });
	const by_path = Object.fromEntries(
		buffer_paths.map((/** @type {string[]} */ path, /** @type {number} */ i) => [
			path.join("."),
			bytes(update.buffers[i]),
		]),
	);
	expect(by_path).toEqual({
		part: [1, 2, 3],
		"nested.view": [7, 8],
		"nested.list.0": bytes(new Float32Array([1.5])),
		raw: [5, 6],
	});
	// the model keeps the values it was given
	expect(model.get("part")).toBeInstanceOf(Uint8Array);
});

test("binary values from the kernel arrive as DataViews", async () => {
	const { model } = await open_widget(
		t.manager,
		{
			_esm: `export default { render({ model, el }) {
				const blob = model.get("blob");
				el.textContent = blob.constructor.name + " " + new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength).join(",");
			} };`,
			blob: null,
		},
		{ buffer_paths: [["blob"]], buffers: [new DataView(new Uint8Array([4, 5, 6]).buffer)] },
	);
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("DataView 4,5,6"));
});

test("models in state are sent as IPY_MODEL_ references", async () => {
	const other = await open_widget(t.manager, { _esm: "export default {};" });
	const { model, comm } = await open_widget(t.manager, { _esm: "export default {};" });
	model.set("child", other.model);
	model.save_changes();
	expect(comm.updates()[0].data.state).toEqual({ child: `IPY_MODEL_${other.model.model_id}` });
});

test("a module cannot set _esm, _css, _anywidget_id, _model_* or _view_*", async () => {
	const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
	const { model, comm } = await open_widget(t.manager, {
		value: 0,
		_esm: `export default { render({ model, el }) {
			for (const key of ["_esm", "_css", "_anywidget_id", "_model_name", "_view_module"]) model.set(key, "evil");
			model.set("value", 1);
			model.save_changes();
			el.textContent = "done";
		} };`,
	});
	const view = await display(t.manager, model);
	await until(() => expect(view.el.textContent).toBe("done"));
	expect(comm.updates().map((m) => m.data.state)).toEqual([{ value: 1 }]);
	expect(model.get("_css")).toBe("");
	expect(warn).toHaveBeenCalledTimes(5);
	expect(String(warn.mock.calls[0][0])).toMatch(/model\.set\("_esm"\) ignored/);
});
