// Test harness: the real @jupyter-widgets ManagerBase and model classes, a hand-written comm
// standing in for the kernel, and helpers that display views like JupyterLab does.
/** @import { WidgetModel, DOMWidgetView } from "@jupyter-widgets/base" */
import * as base from "@jupyter-widgets/base";
import { ManagerBase } from "@jupyter-widgets/base-manager";
import { afterEach, beforeEach, vi } from "vitest";
import { AnyModel, AnyView } from "../src/widget.js";

let counter = 0;

/**
 * JupyterLab's kernel connection handles incoming messages one at a time, for all comms, and
 * awaits each comm handler's promise before the next (`_msgChain` in @jupyterlab/services).
 */
const kernel = { chain: Promise.resolve() };

/**
 * @typedef {{ data: any, buffers: (ArrayBuffer | ArrayBufferView)[], msg_id: string, callbacks?: any }} Sent
 */

/** A comm whose wire is a list: `sent` holds front end -> kernel messages; `receive` plays the kernel. */
export class FakeComm {
	/** @param {string} comm_id */
	constructor(comm_id) {
		this.comm_id = comm_id;
		this.target_name = "jupyter.widget";
		/** @type {Sent[]} */
		this.sent = [];
		this.closed = false;
		/** @type {((msg: any) => unknown) | null} */
		this.on_msg_callback = null;
		/** @type {((msg: any) => unknown) | null} */
		this.on_close_callback = null;
	}

	open() {
		return "";
	}

	/**
	 * Like ipykernel, report `status: idle` for every message, so the base class's sync throttle
	 * (one pending update at a time) keeps flowing.
	 *
	 * @param {any} data
	 * @param {any} [callbacks]
	 * @param {any} [_metadata]
	 * @param {(ArrayBuffer | ArrayBufferView)[]} [buffers]
	 */
	send(data, callbacks, _metadata, buffers) {
		const msg_id = `msg-${++counter}`;
		this.sent.push({ data, buffers: buffers ?? [], msg_id, callbacks });
		setTimeout(() => callbacks?.iopub?.status?.({ content: { execution_state: "idle" }, parent_header: { msg_id } }));
		return msg_id;
	}

	close() {
		this.closed = true;
		return "";
	}

	/** @param {(msg: any) => unknown} callback */
	on_msg(callback) {
		this.on_msg_callback = callback;
	}

	/** @param {(msg: any) => unknown} callback */
	on_close(callback) {
		this.on_close_callback = callback;
	}

	/**
	 * Kernel -> front end `comm_msg`.
	 *
	 * @param {Record<string, unknown>} data
	 * @param {DataView[]} [buffers]
	 */
	receive(data, buffers = []) {
		const handler = this.on_msg_callback;
		if (!handler) throw new Error("no model listens on this comm");
		const msg = {
			header: { msg_id: `kernel-${++counter}`, msg_type: "comm_msg" },
			parent_header: {},
			metadata: {},
			content: { comm_id: this.comm_id, data },
			buffers,
		};
		/** @type {Promise<void>} */
		const handled = kernel.chain.then(() => /** @type {Promise<void>} */ (handler(msg)));
		kernel.chain = handled.catch(() => {});
		return handled;
	}

	/**
	 * @param {Record<string, unknown>} state
	 * @param {{ buffer_paths?: (string | number)[][], buffers?: DataView[] }} [binary]
	 */
	update(state, binary = {}) {
		return this.receive({ method: "update", state, buffer_paths: binary.buffer_paths ?? [] }, binary.buffers);
	}

	/**
	 * @param {unknown} content
	 * @param {DataView[]} [buffers]
	 */
	custom(content, buffers) {
		return this.receive({ method: "custom", content }, buffers);
	}

	/** The kernel closed the comm (`comm_close`). */
	kernel_close() {
		this.on_close_callback?.({ content: { comm_id: this.comm_id, data: {} } });
	}

	/** The `content` of the custom messages the front end sent. */
	customs() {
		return this.sent.filter((m) => m.data.method === "custom").map((m) => m.data.content);
	}

	/** The `update` messages the front end sent. */
	updates() {
		return this.sent.filter((m) => m.data.method === "update");
	}
}

export class TestManager extends ManagerBase {
	/**
	 * @param {string} class_name
	 * @param {string} module_name
	 * @returns {Promise<any>}
	 */
	async loadClass(class_name, module_name) {
		/** @type {Record<string, unknown>} */
		const classes = module_name === "esmwidget" ? { AnyModel, AnyView } : /** @type {any} */ (base);
		const found = classes[class_name];
		if (!found) throw new Error(`no class ${class_name} in ${module_name}`);
		return found;
	}

	/** @param {string} _target @param {string} [model_id] */
	async _create_comm(_target, model_id) {
		return new FakeComm(model_id ?? `comm-${++counter}`);
	}

	async _get_comm_info() {
		return {};
	}
}

/** The identity state Python sends (docs/protocol.md, "Opening a widget"). */
export function identity(id = "test.Widget") {
	return {
		_model_name: "AnyModel",
		_model_module: "esmwidget",
		_model_module_version: "~0.1.*",
		_view_name: "AnyView",
		_view_module: "esmwidget",
		_view_module_version: "~0.1.*",
		_view_count: null,
		_anywidget_id: id,
		_css: "",
	};
}

/**
 * Open a widget from the kernel side: a `comm_open` through the real ManagerBase.
 *
 * @param {ManagerBase} manager
 * @param {Record<string, unknown>} state `_esm`, user traits, and identity overrides
 * @param {{ buffer_paths?: (string | number)[][], buffers?: DataView[] }} [binary]
 */
export async function open_widget(manager, state, binary = {}) {
	const comm = new FakeComm(`model-${++counter}`);
	const full = { ...identity(), ...state };
	const msg = /** @type {any} */ ({
		header: { msg_id: `open-${counter}`, msg_type: "comm_open" },
		parent_header: {},
		metadata: { version: "2.1.0" },
		content: {
			comm_id: comm.comm_id,
			target_name: "jupyter.widget",
			data: { state: full, buffer_paths: binary.buffer_paths ?? [] },
		},
		buffers: binary.buffers ?? [],
	});
	const model = /** @type {AnyModel} */ (await manager.handle_comm_open(/** @type {any} */ (comm), msg));
	return { model, comm };
}

/**
 * Display a view of `model` in the page, as an output cell would.
 *
 * @param {ManagerBase} manager
 * @param {WidgetModel} model
 * @returns {Promise<DOMWidgetView>}
 */
export async function display(manager, model) {
	const view = /** @type {DOMWidgetView} */ (await manager.create_view(model));
	const cell = document.createElement("div");
	cell.className = "test-output";
	cell.append(view.el);
	document.body.append(cell);
	view.once("remove", () => cell.remove());
	return view;
}

/** Events recorded by test modules through `globalThis.esmlog`. */
export function fresh_log() {
	/** @type {string[]} */
	const log = [];
	/** @type {any} */ (globalThis).esmlog = log;
	return log;
}

/**
 * Wait until `check` passes (what the user would see, eventually).
 *
 * @param {() => unknown} check
 */
export function until(check) {
	return vi.waitFor(check, { timeout: 3000, interval: 5 });
}

/** @param {number} ms */
export function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A promise with its resolve function, for modules that must wait on the test. */
export function gate() {
	/** @type {(value?: unknown) => void} */
	let open = () => {};
	const promise = new Promise((resolve) => {
		open = resolve;
	});
	return { promise, open };
}

/**
 * A new TestManager before each test of the calling file; after it, mocks restored and the page
 * emptied. Read `.manager` inside a test.
 *
 * @returns {{ manager: TestManager }}
 */
export function per_test() {
	const current = /** @type {{ manager: TestManager }} */ ({});
	beforeEach(() => {
		current.manager = new TestManager();
	});
	afterEach(() => {
		vi.restoreAllMocks();
		document.body.replaceChildren();
	});
	return current;
}

/**
 * Play the kernel's side of file requests on `comm`: answer each from `files`, count them.
 *
 * @param {any} comm
 * @param {Record<string, [string, Uint8Array]>} files path -> [type, bytes]
 */
export function serve_files(comm, files) {
	const served = /** @type {string[]} */ ([]);
	/** @param {any} data */
	const answer = (data) => {
		const content = data?.content;
		if (data?.method !== "custom" || content?.kind !== "esmwidget-file") return;
		served.push(content.path);
		const found = files[content.path];
		const reply = found
			? { kind: "esmwidget-file-response", id: content.id, path: content.path, type: found[0] }
			: {
					kind: "esmwidget-file-response",
					id: content.id,
					path: content.path,
					error: { status: 404, message: `no file ${content.path}` },
				};
		setTimeout(() => comm.custom(reply, found ? [new DataView(found[1].buffer)] : []));
	};
	// What the model asked while it loaded, before this was set up; then whatever it asks next.
	for (const sent of comm.sent) answer(sent.data);
	const original = comm.send.bind(comm);
	comm.send = (/** @type {any[]} */ ...args) => {
		const id = original(...args);
		answer(args[0]);
		return id;
	};
	return served;
}
