// One esmwidget component of a Streamlit page (one `show(widget, key=...)`), for the page's
// whole life: its models, what it sent Python and Python has not yet read, and what Python sent
// it. Streamlit calls the component at every run with that run's data; a remount (a tab shown
// again) finds the same Link by key, so the models and their state outlive it.
/** @import { WidgetModel } from "@jupyter-widgets/base" */
import { uuid } from "../invoke.js";
import { own_message } from "../messages.js";
import { decode, OWN_MODULES, put_buffer } from "../page/index.js";
import { same } from "../page/model.js";
import { create_runtime, runtime_of } from "../runtime.js";
import { is_reference, SAME_AS, SHARED_KEYS } from "../saved.js";
import { bytes_of } from "../wire.js";
import { LiveManager, LiveModel } from "./model.js";
import { encode, encode_state } from "./wire.js";

/**
 * What Python gives the component at each run (src/esmwidget/streamlit/_bridge.py).
 *
 * @typedef {import("../page/index.js").SavedModel} SavedModel
 * @typedef {{ seq: number, model_id: string, content: unknown, buffers?: string[] }} PythonMessage
 * @typedef {{ protocol: number, key: string, root: string, models: Record<string, SavedModel>, messages?: PythonMessage[], acked?: { instance: string, seq: number } | null }} RunData
 * @typedef {{ seq: number, model_id: string, root: boolean, method: "update" | "custom", [field: string]: unknown }} PageMessage
 * @typedef {(name: string, value: unknown) => void} WriteState
 */

/** The protocol version this page speaks with `esmwidget.streamlit`. */
export const PROTOCOL = 1;

export class Link {
	/** @param {string} key */
	constructor(key) {
		this.key = key;
		/** This page's id for Python: a remount keeps it, a new page has another. */
		this.instance = uuid();
		this.manager = new LiveManager(this);
		/** @type {LiveModel | null} the shown widget's model, whatever Python object backs it */
		this.root = null;
		/** The last message number this page sent, and those Python has not read yet. */
		this.sent = 0;
		/** @type {PageMessage[]} */
		this.unacked = [];
		/** Keys the page set that Python has not read yet, by model: the page's value wins. */
		/** @type {Map<LiveModel, Map<string, number>>} */
		this.pending = new Map();
		/** The last Python message number this page applied. */
		this.seen = 0;
		/** @type {WriteState | null} the mounted component's `setStateValue` */
		this.write = null;
		this.flush_queued = false;
	}

	/**
	 * Apply one run's data: what Python read, the models' state, then Python's messages.
	 *
	 * @param {RunData} data
	 */
	apply(data) {
		if (data.acked && data.acked.instance === this.instance) this.#acked(data.acked.seq);
		const entries = data.models ?? {};
		for (const [id, entry] of Object.entries(entries)) {
			const state = { ...entry.state };
			for (const buffer of entry.buffers ?? []) put_buffer(state, buffer);
			for (const key of SHARED_KEYS) {
				const value = state[key];
				if (is_reference(value)) state[key] = entries[value[SAME_AS]]?.state?.[key];
			}
			const model = this.#model(id, entry, id === data.root, state);
			if (model) this.#apply_state(model, state);
		}
		for (const message of data.messages ?? []) {
			if (message.seq <= this.seen) continue;
			this.seen = message.seq;
			this.#receive(message);
		}
	}

	/**
	 * Send a message to Python: kept until Python says it read it, written with the others into
	 * the component's state (which reruns the script) once the current task ends.
	 *
	 * @param {LiveModel} model
	 * @param {"update" | "custom"} method
	 * @param {Record<string, unknown>} payload
	 * @param {unknown[]} [buffers]
	 */
	post(model, method, payload, buffers = []) {
		const seq = ++this.sent;
		// The root's Python widget may be a new object at each run: Python finds it by `root`.
		const root = model === this.root;
		/** @type {PageMessage} */
		let message;
		if (method === "update") {
			const encoded = encode_state(/** @type {Record<string, unknown>} */ (payload));
			message = { seq, model_id: model.model_id, root, method, state: encoded.state, buffers: encoded.buffers };
			const keys = this.pending.get(model) ?? new Map();
			this.pending.set(model, keys);
			for (const key of Object.keys(encoded.state)) keys.set(key, seq);
		} else {
			const encoded = buffers.map((buffer) => encode(bytes_of(buffer) ?? new Uint8Array()));
			message = { seq, model_id: model.model_id, root, method, content: payload.content, buffers: encoded };
		}
		this.unacked.push(message);
		if (this.flush_queued) return;
		this.flush_queued = true;
		queueMicrotask(() => {
			this.flush_queued = false;
			this.flush();
		});
	}

	/** Write every message Python has not read into the component's state. */
	flush() {
		if (!this.write || this.unacked.length === 0) return;
		this.write("outbox", { instance: this.instance, seen: this.seen, messages: this.unacked });
	}

	/** @param {number} seq */
	#acked(seq) {
		this.unacked = this.unacked.filter((message) => message.seq > seq);
		for (const keys of this.pending.values()) {
			for (const [key, sent] of keys) if (sent <= seq) keys.delete(key);
		}
	}

	/**
	 * The model for `id` to apply `state` to, or null when it was made now with that state. The
	 * root keeps its object across runs (Python may back it with a new widget at each run), a
	 * referenced widget is found or made by id. A new esmwidget model loads its module at once,
	 * as one a kernel opens does, so Python's messages wait for its `initialize`.
	 *
	 * @param {string} id
	 * @param {SavedModel} entry
	 * @param {boolean} is_root
	 * @param {Record<string, unknown>} state
	 * @returns {LiveModel | null}
	 */
	#model(id, entry, is_root, state) {
		let model = is_root ? this.root : this.manager.models.get(id);
		if (model && is_root && model.model_id !== id) {
			this.manager.models.delete(model.model_id);
			model.model_id = id;
		}
		if (model) {
			this.manager.models.set(id, model);
			return model;
		}
		model = new LiveModel(id, entry.model_name, entry.model_module, state, this.manager);
		this.manager.models.set(id, model);
		if (is_root) this.root = model;
		if (entry.model_name === "AnyModel" && OWN_MODULES.has(entry.model_module)) {
			const runtime = create_runtime(/** @type {WidgetModel} */ (/** @type {unknown} */ (model)));
			model.on("change:_esm", () => runtime.esm_changed());
			model.on("change:_css", () => runtime.css_changed());
			runtime.activate();
		}
		return null;
	}

	/**
	 * Python's state of a model: the keys that differ and the page has not set since, applied
	 * in order with the model's other messages (after `initialize` while its module loads).
	 *
	 * @param {LiveModel} model
	 * @param {Record<string, unknown>} state
	 */
	#apply_state(model, state) {
		const held = this.pending.get(model);
		const changed = Object.entries(state).filter(([key, value]) => !held?.has(key) && !same(model.get(key), value));
		if (changed.length === 0) return;
		const runtime = runtime_of(/** @type {WidgetModel} */ (/** @type {unknown} */ (model)));
		const apply = async () => {
			for (const [key, value] of changed) model.set_from_python(key, value);
			for (const [key] of changed) if (SHARED_KEYS.includes(/** @type {any} */ (key))) runtime?.clear_hmr_error(key);
		};
		if (!runtime) return void apply();
		runtime.queue_message(
			apply,
			changed.some(([key]) => key === "_esm"),
		);
	}

	/** @param {PythonMessage} message */
	#receive(message) {
		const model = this.manager.models.get(message.model_id);
		if (!model) return; // a widget this component no longer shows
		const buffers = (message.buffers ?? []).map((data) => new DataView(decode(data, "base64").buffer));
		const runtime = runtime_of(/** @type {WidgetModel} */ (/** @type {unknown} */ (model)));
		const own = own_message(message.content);
		if (own && runtime) return runtime.loader_message(own, buffers);
		const deliver = async () => model.trigger("msg:custom", message.content, buffers);
		if (!runtime) return void deliver();
		runtime.queue_message(deliver);
	}
}
