// The model a widget module sees: a narrow view of the Backbone model whose listeners live
// exactly as long as the `initialize` or `render` call that received it.
/** @import { WidgetModel } from "@jupyter-widgets/base" */
/** @import { AnyModel, BufferLike, Callbacks } from "./types.js" */
import { exact_buffers } from "./wire.js";

/** Keys only Python writes: code, style and identity (docs/protocol.md, "Security"). */
export function is_protected(/** @type {string} */ key) {
	return (
		key === "_esm" || key === "_css" || key === "_anywidget_id" || key.startsWith("_model_") || key.startsWith("_view_")
	);
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
		get: (key) => model.get(key),
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
