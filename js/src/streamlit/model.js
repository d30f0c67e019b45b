// The models of a Streamlit component: the page runtime's models, with a way back to Python.
// `save_changes` and `send` hand messages to the component's Link (link.js), which writes them
// into the component's state; Streamlit then reruns the script and Python reads them.
import { StaticManager, StaticModel, same } from "../page/model.js";

/**
 * @typedef {{ post(model: LiveModel, method: "update" | "custom", payload: Record<string, unknown>, buffers?: unknown[]): void }} Outbox
 */

export class LiveModel extends StaticModel {
	/**
	 * @param {string} model_id
	 * @param {string} model_name
	 * @param {string} model_module
	 * @param {Record<string, unknown>} state
	 * @param {LiveManager} manager
	 */
	constructor(model_id, model_name, model_module, state, manager) {
		super(model_id, model_name, model_module, state, manager);
		this.widget_manager = manager;
		/** Python answers (commands, files): `invoke` works. */
		this.comm_live = true;
		/** Keys the page set since its last `save_changes`. @type {Set<string>} */
		this.dirty = new Set();
		this.from_python = false;
	}

	/**
	 * @param {string} key
	 * @param {unknown} value
	 */
	set(key, value) {
		const changed = !same(this.attributes[key], value);
		super.set(key, value);
		if (changed && !this.from_python) this.dirty.add(key);
	}

	/**
	 * A value Python holds: applied without marking it to be sent back.
	 *
	 * @param {string} key
	 * @param {unknown} value
	 */
	set_from_python(key, value) {
		this.from_python = true;
		try {
			this.set(key, value);
		} finally {
			this.from_python = false;
		}
	}

	/** Send the keys the page set since the last call, as one update. */
	save_changes() {
		if (this.dirty.size === 0) return;
		/** @type {Record<string, unknown>} */
		const state = {};
		for (const key of this.dirty) state[key] = this.attributes[key];
		this.dirty.clear();
		this.widget_manager.outbox.post(this, "update", state);
	}

	/**
	 * A custom message to Python (`callbacks` are the kernel's and have no meaning here).
	 *
	 * @param {unknown} content
	 * @param {unknown} [_callbacks]
	 * @param {unknown[]} [buffers]
	 */
	send(content, _callbacks, buffers) {
		this.widget_manager.outbox.post(this, "custom", { content }, buffers ?? []);
	}
}

/** The models one component holds: its widget and the widgets it references. */
export class LiveManager extends StaticManager {
	/** @param {Outbox} outbox */
	constructor(outbox) {
		super();
		this.outbox = outbox;
		/** @type {Map<string, LiveModel>} */
		this.models = new Map();
	}
}
