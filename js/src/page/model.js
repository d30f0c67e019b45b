// The models of a page with no kernel: each holds its saved state, fires Backbone-style change
// events, and lives in a manager that resolves `IPY_MODEL_` references. Nothing leaves the page.
import { bytes_of } from "../wire.js";

/**
 * @typedef {{ name: string, callback: (...args: any[]) => void, context: unknown }} Listener
 */

export class StaticModel {
	/**
	 * @param {string} model_id
	 * @param {string} model_name
	 * @param {string} model_module
	 * @param {Record<string, unknown>} state
	 * @param {StaticManager} manager
	 */
	constructor(model_id, model_name, model_module, state, manager) {
		this.model_id = model_id;
		this.model_name = model_name;
		this.model_module = model_module;
		/** @type {Record<string, unknown>} */
		this.attributes = state;
		this.widget_manager = manager;
		/** There is no kernel: commands refuse with a clear error (invoke.js). */
		this.comm_live = false;
		/** @type {Listener[]} */
		this.listeners = [];
	}

	/** @param {string} key */
	get(key) {
		return this.attributes[key];
	}

	/**
	 * Set one key; `change:<key>` and `change` fire when the value really changed (compared in
	 * depth, as Backbone does).
	 *
	 * @param {string} key
	 * @param {unknown} value
	 */
	set(key, value) {
		if (same(this.attributes[key], value)) return;
		this.attributes[key] = value;
		this.trigger(`change:${key}`, this, value);
		this.trigger("change", this);
	}

	/** The page holds the whole state: there is nothing to save to. */
	save_changes() {}

	/**
	 * Custom messages have no kernel to go to.
	 *
	 * @param {unknown} [_content]
	 * @param {unknown} [_callbacks]
	 * @param {unknown[]} [_buffers]
	 */
	send(_content, _callbacks, _buffers) {}

	/**
	 * @param {string} names one event name, or several separated by spaces
	 * @param {(...args: any[]) => void} callback
	 * @param {unknown} [context]
	 */
	on(names, callback, context = null) {
		for (const name of names.split(/\s+/).filter(Boolean)) this.listeners.push({ name, callback, context });
	}

	/**
	 * Remove listeners; a null argument matches any, as in Backbone.
	 *
	 * @param {string | null} [names]
	 * @param {((...args: any[]) => void) | null} [callback]
	 * @param {unknown} [context]
	 */
	off(names = null, callback = null, context = null) {
		const wanted = names ? new Set(names.split(/\s+/).filter(Boolean)) : null;
		this.listeners = this.listeners.filter(
			(l) =>
				!(
					(wanted === null || wanted.has(l.name)) &&
					(callback === null || l.callback === callback) &&
					(context === null || l.context === context)
				),
		);
	}

	/**
	 * @param {string} name
	 * @param {...unknown} args
	 */
	trigger(name, ...args) {
		for (const listener of [...this.listeners]) {
			if (listener.name !== name) continue;
			try {
				listener.callback.apply(listener.context, args);
			} catch (error) {
				console.error(`[esmwidget] a "${name}" listener of model ${this.model_id} threw`, error);
			}
		}
	}
}

/** Every model of the page by id. */
export class StaticManager {
	constructor() {
		/** @type {Map<string, StaticModel>} */
		this.models = new Map();
	}

	/** @param {string} model_id */
	has_model(model_id) {
		return this.models.has(model_id);
	}

	/**
	 * @param {string} model_id
	 * @returns {Promise<StaticModel>}
	 */
	async get_model(model_id) {
		const model = this.models.get(model_id);
		if (!model) throw new Error(`[esmwidget] model ${model_id} is not in this page's widget state.`);
		return model;
	}
}

/**
 * Deep equality for state values: JSON-like data and binary values by value, other objects by
 * identity.
 *
 * @param {unknown} a
 * @param {unknown} b
 * @returns {boolean}
 */
export function same(a, b) {
	if (Object.is(a, b)) return true;
	const x = bytes_of(a);
	const y = bytes_of(b);
	if (x || y) return !!x && !!y && x.length === y.length && x.every((byte, i) => byte === y[i]);
	if (Array.isArray(a) && Array.isArray(b)) {
		return a.length === b.length && a.every((item, i) => same(item, b[i]));
	}
	if (is_plain(a) && is_plain(b)) {
		const keys = Object.keys(a);
		return keys.length === Object.keys(b).length && keys.every((key) => key in b && same(a[key], b[key]));
	}
	return false;
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function is_plain(value) {
	return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
