// A page with no kernel (an exported HTML file): render the esmwidget views it holds from its
// saved widget state, with the same Runtime as in JupyterLab. The state and view tags are the
// ones nbconvert and ipywidgets' embedding write (widget-state+json v2, widget-view+json).
/** @import { WidgetModel } from "@jupyter-widgets/base" */
import { set_page_files } from "../files.js";
import { IPY_MODEL } from "../messages.js";
import { create_runtime, runtime_of } from "../runtime.js";
import { is_reference, MissingAsset, SAME_AS, SHARED_KEYS, site_file, UnreachableAsset } from "../saved.js";
import { link_models } from "./links.js";
import { StaticManager, StaticModel } from "./model.js";

export const STATE_MIME = "application/vnd.jupyter.widget-state+json";
export const VIEW_MIME = "application/vnd.jupyter.widget-view+json";
/** The widgets' own files the page carries (src/esmwidget/_pages/page.py FILES_MIME_TYPE). */
export const FILES_MIME = "application/vnd.esmwidget.files+json";
/** A view tag this runtime renders: the html-manager, if the page also loads it, skips it. */
export const CLAIMED_MIME = "application/vnd.esmwidget.view+json";
/** Model modules whose `AnyModel` runs an `_esm` (anywidget's saved state works the same). */
export const OWN_MODULES = new Set(["esmwidget", "anywidget"]);

/**
 * @typedef {{ encoding: "base64" | "hex", path: (string | number)[], data: string }} SavedBuffer
 * @typedef {{ model_name: string, model_module: string, model_module_version?: string, state: Record<string, unknown>, buffers?: SavedBuffer[] }} SavedModel
 * @typedef {{ version_major: number, version_minor: number, state: Record<string, SavedModel> }} SavedState
 */

/**
 * Render every esmwidget view of `doc`. Claims the view tags synchronously (before any other
 * widget renderer of the page runs), then each view renders as its module loads.
 *
 * @param {Document} doc
 * @returns {StaticManager | null} the page's models, or null when it has no widget state
 */
export function start(doc) {
	const tag = doc.querySelector(`script[type="${STATE_MIME}"]`);
	if (!tag) return null;
	/** @type {SavedState} */
	let saved;
	try {
		saved = JSON.parse(tag.textContent ?? "");
	} catch (error) {
		console.error("[esmwidget] this page's widget state is not valid JSON", error);
		return null;
	}
	const files = doc.querySelector(`script[type="${FILES_MIME}"]`);
	if (files) {
		try {
			set_page_files(JSON.parse(files.textContent ?? ""));
		} catch (error) {
			console.error("[esmwidget] this page's widget files are not valid JSON", error);
		}
	}
	const manager = load_state(saved);
	for (const view of doc.querySelectorAll(`script[type="${VIEW_MIME}"]`)) {
		claim(/** @type {HTMLScriptElement} */ (view), manager);
	}
	return manager;
}

/**
 * Build the page's models from saved state: buffers in place, `_esm`/`_css` saved once resolved,
 * links connected, and a Runtime for each esmwidget model (which loads its code only once one
 * of its views renders).
 *
 * @param {SavedState} saved
 * @returns {StaticManager}
 */
export function load_state(saved) {
	const manager = new StaticManager();
	if (saved?.version_major !== 2 || typeof saved.state !== "object" || saved.state === null) {
		console.error(`[esmwidget] unsupported widget state (version ${saved?.version_major}); expected version 2.`);
		return manager;
	}
	for (const [id, entry] of Object.entries(saved.state)) {
		const state = { ...entry.state };
		for (const buffer of entry.buffers ?? []) put_buffer(state, buffer);
		manager.models.set(id, new StaticModel(id, entry.model_name, entry.model_module, state, manager));
	}
	for (const model of manager.models.values()) {
		if (model.model_name !== "AnyModel" || !OWN_MODULES.has(model.model_module)) continue;
		for (const key of SHARED_KEYS) model.attributes[key] = site_text(shared_text(manager, model, key), key);
		// The Runtime reads a model through the few members StaticModel has (get, on, off,
		// model_id, comm_live, widget_manager.get_model), not the whole Backbone class.
		create_runtime(/** @type {WidgetModel} */ (/** @type {unknown} */ (model)));
	}
	link_models(manager);
	return manager;
}

/**
 * @param {HTMLScriptElement} view
 * @param {StaticManager} manager
 */
function claim(view, manager) {
	let model_id;
	try {
		model_id = JSON.parse(view.textContent ?? "").model_id;
	} catch {
		return;
	}
	const model = manager.models.get(model_id);
	const runtime = model && runtime_of(/** @type {WidgetModel} */ (/** @type {unknown} */ (model)));
	if (!runtime) return; // not an esmwidget view: left to the page's other renderer, if any
	view.type = CLAIMED_MIME;
	const el = view.ownerDocument.createElement("div");
	el.className = "esmwidget-view";
	dom_parts(el, model, manager);
	view.before(el);
	runtime.mount(el);
}

/**
 * What ipywidgets' DOM widget view does with `_dom_classes`, `tooltip` and `layout` (Python's
 * `w.add_class`, `w.tooltip`, `w.layout`; src/esmwidget/_widgets/dom.py), for a page with no
 * kernel: the saved Layout's properties become the element's style, named as ipywidgets' layout
 * view names them (`grid_area` is `grid-area`).
 *
 * @param {HTMLElement} el
 * @param {StaticModel} model
 * @param {StaticManager} manager
 */
export function dom_parts(el, model, manager) {
	const classes = model.get("_dom_classes");
	if (Array.isArray(classes)) el.classList.add(...classes.filter((name) => typeof name === "string" && name));
	const tooltip = model.get("tooltip");
	if (typeof tooltip === "string" && tooltip) el.title = tooltip;
	const layout = model.get("layout");
	const saved =
		typeof layout === "string" && layout.startsWith(IPY_MODEL)
			? manager.models.get(layout.slice(IPY_MODEL.length))
			: undefined;
	if (saved?.model_name !== "LayoutModel") return;
	for (const [key, value] of Object.entries(saved.attributes)) {
		if (!key.startsWith("_") && typeof value === "string" && value)
			el.style.setProperty(key.replaceAll("_", "-"), value);
	}
}

/**
 * A saved `_esm`/`_css`: its text, or the text of the model it was saved as the same as.
 *
 * @param {StaticManager} manager
 * @param {StaticModel} model
 * @param {"_esm" | "_css"} key
 * @returns {unknown}
 */
function shared_text(manager, model, key) {
	let value = model.get(key);
	const seen = new Set([model.model_id]);
	while (is_reference(value)) {
		const holder = manager.models.get(value[SAME_AS]);
		if (!holder || seen.has(holder.model_id)) {
			const reason = holder ? "refers back to it" : "is not in the saved state";
			return new MissingAsset(key, value[SAME_AS], reason);
		}
		seen.add(holder.model_id);
		value = holder.get(key);
	}
	return value;
}

/**
 * A site's file for `_esm`/`_css` (esmwidget's Sphinx and MkDocs builds write each text once per
 * site) becomes its URL, which the loader imports or links; other values stay as they are.
 *
 * @param {unknown} value
 * @param {"_esm" | "_css"} key
 * @returns {unknown}
 */
export function site_text(value, key) {
	const url = site_file(value, document.baseURI);
	if (url === null) return value;
	return /^https?:/.test(url) ? url : new UnreachableAsset(key, url);
}

/**
 * Decode one saved buffer into a DataView at its path in `state`.
 *
 * @param {Record<string, unknown>} state
 * @param {SavedBuffer} buffer
 */
export function put_buffer(state, buffer) {
	const { path, data, encoding } = buffer;
	if (!Array.isArray(path) || path.length === 0 || typeof data !== "string") return;
	/** @type {any} */
	let target = state;
	for (const step of path.slice(0, -1)) target = target?.[step];
	if (typeof target !== "object" || target === null) return;
	target[path[path.length - 1]] = new DataView(decode(data, encoding).buffer);
}

/**
 * @param {string} data
 * @param {"base64" | "hex"} encoding
 * @returns {Uint8Array}
 */
export function decode(data, encoding) {
	if (encoding === "hex") {
		const bytes = new Uint8Array(data.length / 2);
		for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(data.slice(2 * i, 2 * i + 2), 16);
		return bytes;
	}
	const text = atob(data);
	const bytes = new Uint8Array(text.length);
	for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
	return bytes;
}
