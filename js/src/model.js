// The model a widget module sees: a narrow view of the Backbone model whose listeners live
// exactly as long as the `initialize` or `render` call that received it.
/** @import { WidgetModel } from "@jupyter-widgets/base" */
/** @import { AnyModel, BufferLike, Callbacks } from "./types.js" */
import { exact_buffers } from "./wire.js";

/**
 * Keys only Python writes: code, style and identity (docs/protocol.md, "Security"). The views of
 * ipywidgets count themselves in `_view_count` when Python set it to a number, so it is the page's.
 */
export function is_protected(/** @type {string} */ key) {
	return key === "_esm" || key === "_css" || key === "_anywidget_id" || (is_identity(key) && key !== "_view_count");
}

/** The protocol's own keys (`_model_*`, `_view_*`), not the widget's. */
function is_identity(/** @type {string} */ key) {
	return key.startsWith("_model_") || key.startsWith("_view_");
}

/** Keys each widget was warned about reading, by `_anywidget_id`: one warning per key. */
/** @type {Map<string, Set<string>>} */
const warned = new Map();

/**
 * `model.get(key)` of a key the model does not have is a misspelling or a Python trait without
 * `.tag(sync=True)`: say so once, naming the keys it has.
 *
 * @param {WidgetModel} model
 * @param {string} key
 */
function check_key(model, key) {
	const attributes = /** @type {Record<string, unknown> | undefined} */ (model.attributes);
	if (typeof key !== "string" || !attributes || Object.hasOwn(attributes, key)) return;
	const id = String(attributes._anywidget_id ?? model.model_id ?? "widget");
	const keys = warned.get(id) ?? new Set();
	warned.set(id, keys);
	if (keys.has(key)) return;
	keys.add(key);
	// The widget's own keys: not code or identity, nor the base model's defaults (`tooltip`).
	const base = /** @type {{ defaults?: unknown }} */ (model).defaults;
	const defaults = (typeof base === "function" ? base.call(model) : base) ?? {};
	const names = Object.keys(attributes).filter(
		(name) => !is_protected(name) && !is_identity(name) && !Object.hasOwn(defaults, name),
	);
	const close = closest(key, names);
	console.warn(
		`[esmwidget] ${id}: model.get(${JSON.stringify(key)}) is undefined: the model has no such key.` +
			(close ? ` Did you mean ${JSON.stringify(close)}?` : "") +
			` Its keys: ${names.map((name) => JSON.stringify(name)).join(", ") || "none"}.` +
			" A Python trait reaches the page only when tagged .tag(sync=True).",
	);
}

/**
 * The name nearest to `key` within a few edits (a typo), or null.
 *
 * @param {string} key
 * @param {string[]} names
 * @returns {string | null}
 */
export function closest(key, names) {
	let best = null;
	let best_distance = Math.max(1, Math.floor(key.length / 3)) + 1;
	for (const name of names) {
		const distance = edits(key.toLowerCase(), name.toLowerCase());
		if (distance < best_distance) [best, best_distance] = [name, distance];
	}
	return best;
}

/**
 * Levenshtein distance, with a swap of two neighbours counted as one edit.
 *
 * @param {string} a
 * @param {string} b
 */
function edits(a, b) {
	/** @type {number[][]} */
	const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
	for (let j = 1; j <= b.length; j++) d[0][j] = j;
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
			}
		}
	}
	return d[a.length][b.length];
}

/** The Backbone model behind each proxy, for `widget_manager.create_view(proxy)`. */
/** @type {WeakMap<object, WidgetModel>} */
const models = new WeakMap();

/**
 * The Backbone model behind a proxy (or the model itself).
 *
 * @param {unknown} model
 * @returns {WidgetModel}
 */
export function model_of(model) {
	return models.get(/** @type {object} */ (model)) ?? /** @type {WidgetModel} */ (model);
}

/**
 * @param {WidgetModel} model
 * @param {AbortSignal} signal listeners added through the proxy are removed when it aborts
 * @returns {AnyModel}
 */
export function model_proxy(model, signal) {
	// Backbone removes listeners by context: this object marks the ones added through this proxy,
	// so aborting never touches listeners of the host or of other contexts.
	const context = {};
	signal.addEventListener("abort", () => model.off(null, null, context), { once: true });
	/** @type {AnyModel} */
	const proxy = {
		get(key) {
			check_key(model, key);
			return model.get(key);
		},
		set(key, value) {
			if (is_protected(key)) {
				console.warn(
					`[esmwidget] ${model.get("_anywidget_id")}: model.set(${JSON.stringify(key)}) ignored; code, style and identity keys are set from Python only.`,
				);
				return;
			}
			model.set(key, value);
		},
		save_changes: () => model.save_changes(),
		send(
			/** @type {unknown} */ content,
			/** @type {Callbacks | undefined} */ callbacks,
			/** @type {BufferLike[] | undefined} */ buffers,
		) {
			model.send(
				/** @type {import("@lumino/coreutils").JSONValue} */ (content),
				callbacks,
				buffers && exact_buffers(buffers),
			);
		},
		on(/** @type {string} */ name, /** @type {(...args: any[]) => void} */ callback) {
			if (!signal.aborted) model.on(name, callback, context);
		},
		off(name, callback) {
			model.off(name ?? null, callback ?? null, context);
		},
		widget_manager: {
			async get_model(model_id) {
				return /** @type {any} */ (model_proxy(await model.widget_manager.get_model(model_id), signal));
			},
			// The page's own manager makes the view (an ipywidgets slider, an esmwidget widget):
			// put `view.el` where it goes, and `view.remove()` it when done.
			create_view(child, options = {}) {
				return model.widget_manager.create_view(model_of(child), options);
			},
		},
	};
	models.set(proxy, model);
	return proxy;
}
