// Updates with more than 8 MiB of binary values send them first in parts, each well under
// Jupyter Server's 10 MiB websocket limit; the update then names its uploads.
import { expect, test } from "vitest";
import { PART_BYTES } from "../src/parts.js";
import { open_widget, per_test, until } from "./harness.js";

const t = per_test();
const MIB = 1024 * 1024;

test("a 20 MiB value goes in parts of at most 8 MiB, then an update naming them", async () => {
	const { model, comm } = await open_widget(t.manager, { _esm: "export default {}", data: null, name: "" });
	const payload = new Uint8Array(20 * MIB);
	for (let i = 0; i < payload.length; i += 4096) payload[i] = (i / 4096) % 251;
	model.set({ data: new DataView(payload.buffer), name: "big" });
	model.save_changes();
	await until(() => expect(comm.updates().length).toBe(1));
	const parts = comm.sent.filter((m) => m.data.method === "custom");
	expect(parts.map((m) => m.data.content.index)).toEqual([0, 1, 2]);
	const upload = parts[0].data.content.upload;
	expect(parts.every((m) => m.data.content.kind === "esmwidget-part" && m.data.content.upload === upload)).toBe(true);
	expect(parts.every((m) => m.data.content.count === 3)).toBe(true);
	const sizes = parts.map((m) => m.buffers[0].byteLength);
	expect(sizes).toEqual([PART_BYTES, PART_BYTES, 20 * MIB - 2 * PART_BYTES]);
	// Put back together, the parts are the value, byte for byte.
	const joined = new Uint8Array(20 * MIB);
	let at = 0;
	for (const m of parts) {
		const b = /** @type {ArrayBuffer} */ (m.buffers[0]);
		joined.set(new Uint8Array(b), at);
		at += b.byteLength;
	}
	let differ = 0;
	for (let i = 0; i < payload.length; i++) if (joined[i] !== payload[i]) differ += 1;
	expect(differ).toBe(0);
	const [sent] = comm.updates();
	expect(sent.data.state).toEqual({ name: "big" });
	expect(sent.data.buffer_paths).toEqual([["data"]]);
	expect(sent.data.esmwidget_parts).toEqual({ 0: upload });
	expect(sent.buffers.map((b) => b.byteLength)).toEqual([0]);
	// The parts went before the update that names them.
	expect(comm.sent.indexOf(sent)).toBe(comm.sent.length - 1);
});

test("updates with little binary data go whole, as before", async () => {
	const { model, comm } = await open_widget(t.manager, { _esm: "export default {}", data: null });
	model.set("data", new DataView(new Uint8Array(MIB).fill(3).buffer));
	model.save_changes();
	await until(() => expect(comm.updates().length).toBe(1));
	expect(comm.sent.filter((m) => m.data.method === "custom")).toEqual([]);
	const [sent] = comm.updates();
	expect(sent.data.esmwidget_parts).toBeUndefined();
	expect(sent.buffers.map((b) => b.byteLength)).toEqual([MIB]);
});

test("small buffers beside a large one stay in the update", async () => {
	const { model, comm } = await open_widget(t.manager, { _esm: "export default {}", big: null, small: null });
	model.set({ big: new Uint8Array(9 * MIB).fill(1), small: new Uint8Array(10).fill(2) });
	model.save_changes();
	await until(() => expect(comm.updates().length).toBe(1));
	const [sent] = comm.updates();
	const big = sent.data.buffer_paths.findIndex((/** @type {string[]} */ p) => p[0] === "big");
	const small = sent.data.buffer_paths.findIndex((/** @type {string[]} */ p) => p[0] === "small");
	expect(Object.keys(sent.data.esmwidget_parts)).toEqual([String(big)]);
	expect(sent.buffers[small].byteLength).toBe(10);
	expect(sent.buffers[big].byteLength).toBe(0);
});

test("every buffer sent is a whole ArrayBuffer, as JupyterLab's serializer needs", async () => {
	const { model, comm } = await open_widget(t.manager, { _esm: "export default {}", big: null, small: null });
	const backing = new Uint8Array(10 * MIB).fill(4);
	model.set({ big: new DataView(backing.buffer, 1, 9 * MIB), small: new DataView(backing.buffer, 5, 100) });
	model.save_changes();
	await until(() => expect(comm.updates().length).toBe(1));
	const sent = comm.sent.flatMap((m) => m.buffers);
	for (const b of sent) expect(b).toBeInstanceOf(ArrayBuffer);
	expect(sent.map((b) => b.byteLength).sort((a, b) => a - b)).toEqual([0, 100, MIB, PART_BYTES]);
});
