// Saved widget state carries each distinct `_esm`/`_css` text once.
//
// The manager's `serialize_state` (what JupyterLab writes into a notebook's metadata) calls
// `model.serialize(model.get_state())` for every model in one synchronous pass. Within a pass,
// the first model with a given text keeps it; every later one saves `{"esmwidget_same_as": id}`,
// the id of that first model, which is therefore in the same saved state. Restoring resolves the
// reference through the manager. Only the saved state sees references: the model always holds the
// text, and a sync to the kernel never shares (see `to_kernel`).
/** @import { IWidgetManager, WidgetModel } from "@jupyter-widgets/base" */

/** The key of a reference: `{"esmwidget_same_as": "<model id of the holder>"}`. */
export const SAME_AS = "esmwidget_same_as";

/** The keys whose text is shared. */
export const SHARED_KEYS = /** @type {const} */ (["_esm", "_css"]);

/** Texts shorter than this are saved as they are: a reference (about 60 bytes) would save little. */
export const MIN_SHARED = 128;

/** How long restoring waits for the model holding a text. Tests lower it. */
export const limits = { wait_ms: 5000 };

/** @typedef {{ [SAME_AS]: string }} Reference */

/**
 * One pass per key: text -> id of the model that holds it, and the models seen. A pass ends at the
 * next microtask, or when a model is seen twice: a new pass began in the same tick. (Two passes in
 * one tick over different models, the second starting with models the first did not have, could
 * still name a holder only the first has; restoring such a state shows a MissingAsset error.
 * JupyterLab saves with one pass.)
 *
 * @type {Map<string, { holders: Map<string, string>, seen: Set<string> }>}
 */
const passes = new Map();
let reset_queued = false;

/** Above zero while a model serializes a sync to the kernel. */
let syncing = 0;

/**
 * Run `sync` (a model's sync to the kernel) with sharing off: the kernel always gets text.
 *
 * @template T
 * @param {() => T} sync
 * @returns {T}
 */
export function to_kernel(sync) {
	syncing += 1;
	try {
		return sync();
	} finally {
		syncing -= 1;
	}
}

/** True while a sync to the kernel serializes. */
export function is_syncing() {
	return syncing > 0;
}

/**
 * A saved `_esm`/`_css` that could not be restored: its holder is missing or never finished
 * loading. The model keeps it in place of the text; the runtime shows `message` in the cell.
 */
export class MissingAsset {
	/**
	 * @param {string} key `_esm` or `_css`
	 * @param {string} same_as the id of the model that should hold the text
	 * @param {string} reason
	 */
	constructor(key, same_as, reason) {
		this.key = key;
		this.same_as = same_as;
		this.reason = reason;
	}

	/**
	 * Saved again as the same reference, so a re-saved state says what it said before.
	 *
	 * @returns {Record<string, string>}
	 */
	toJSON() {
		return { [SAME_AS]: this.same_as };
	}

	get message() {
		return `could not restore ${this.key} from the notebook's saved widget state`;
	}

	get detail() {
		return (
			`It was saved as the same text as model ${this.same_as}, which ${this.reason}. ` +
			"Run the cell that creates the widget again."
		);
	}
}

/**
 * A site's `_esm`/`_css` file (`{"esmwidget_url": path}`, written by esmwidget's Sphinx and MkDocs
 * builds) that a page opened from a file cannot load: modules and stylesheets load over http(s).
 */
export class UnreachableAsset extends MissingAsset {
	/**
	 * @param {string} key
	 * @param {string} url
	 */
	constructor(key, url) {
		super(key, "", "");
		this.url = url;
	}

	/** @returns {Record<string, string>} */
	toJSON() {
		return { [SITE_FILE]: this.url };
	}

	get message() {
		return `could not load ${this.key} from ${this.url}`;
	}

	get detail() {
		return (
			"This page was opened from a file, and a widget's module loads only over http(s). " +
			"Serve the site (for example `python -m http.server` in its folder) and open it there."
		);
	}
}

/** The key of a site file reference: `{"esmwidget_url": "<path relative to the page>"}`. */
export const SITE_FILE = "esmwidget_url";

/**
 * The URL of a site file reference (relative to `base`), or null when `value` is not one.
 *
 * @param {unknown} value
 * @param {string} base the page's URL
 * @returns {string | null}
 */
export function site_file(value, base) {
	if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
	const keys = Object.keys(value);
	const path = /** @type {Record<string, unknown>} */ (value)[SITE_FILE];
	if (keys.length !== 1 || typeof path !== "string") return null;
	return new URL(path, base).href;
}

/**
 * @param {unknown} value
 * @returns {value is Reference}
 */
export function is_reference(value) {
	if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
	const keys = Object.keys(value);
	return keys.length === 1 && keys[0] === SAME_AS && typeof (/** @type {Reference} */ (value)[SAME_AS]) === "string";
}

/**
 * The serializer of `key` for `AnyModel.serializers`.
 *
 * @param {"_esm" | "_css"} key
 */
export function shared_text(key) {
	return {
		/**
		 * @param {unknown} value
		 * @param {WidgetModel} [model]
		 */
		serialize: (value, model) => share(key, value, model),
		/**
		 * @param {unknown} value
		 * @param {IWidgetManager} [manager]
		 */
		deserialize: (value, manager) => (is_reference(value) ? resolve(key, value[SAME_AS], manager) : value),
	};
}

/**
 * @param {string} key
 * @param {unknown} value
 * @param {WidgetModel | undefined} model
 * @returns {unknown}
 */
function share(key, value, model) {
	if (syncing > 0 || !model || typeof value !== "string" || value.length < MIN_SHARED) return value;
	const id = model.model_id;
	let pass = passes.get(key);
	if (!pass || pass.seen.has(id)) {
		pass = { holders: new Map(), seen: new Set() };
		passes.set(key, pass);
	}
	if (!reset_queued) {
		reset_queued = true;
		queueMicrotask(() => {
			passes.clear();
			reset_queued = false;
		});
	}
	pass.seen.add(id);
	const holder = pass.holders.get(value);
	if (holder === undefined) {
		pass.holders.set(value, id);
		return value;
	}
	return { [SAME_AS]: holder };
}

/**
 * The text of `key` held by model `id`, or a MissingAsset. Never rejects, never waits longer than
 * `limits.wait_ms` (a crafted notebook can make two models wait on each other).
 *
 * @param {string} key
 * @param {string} id
 * @param {IWidgetManager | undefined} manager
 * @returns {Promise<string | MissingAsset>}
 */
async function resolve(key, id, manager) {
	if (!manager) return new MissingAsset(key, id, "cannot be looked up without a widget manager");
	/** @type {ReturnType<typeof setTimeout> | undefined} */
	let timer;
	const late = new Promise((settle) => {
		timer = setTimeout(() => settle(null), limits.wait_ms);
	});
	/** @type {WidgetModel | null} */
	let holder;
	try {
		holder = /** @type {WidgetModel | null} */ (await Promise.race([manager.get_model(id), late]));
	} catch {
		return new MissingAsset(key, id, "is not in the saved state");
	} finally {
		clearTimeout(timer);
	}
	if (!holder) {
		const reason = manager.has_model(id)
			? `did not finish loading within ${limits.wait_ms / 1000} s`
			: "is not in the saved state";
		return new MissingAsset(key, id, reason);
	}
	const text = holder.get(key);
	if (text instanceof MissingAsset) return new MissingAsset(key, id, "could not restore it either");
	if (typeof text !== "string") return new MissingAsset(key, id, `has no ${key} text`);
	return text;
}

/**
 * The first `_esm`/`_css` of `model` that could not be restored, if any.
 *
 * @param {WidgetModel} model
 * @returns {MissingAsset | null}
 */
export function missing_asset(model) {
	for (const key of SHARED_KEYS) {
		const value = model.get(key);
		if (value instanceof MissingAsset) return value;
	}
	return null;
}

/**
 * `_esm`/`_css` as text: an unrestored value reads as empty.
 *
 * @param {WidgetModel} model
 * @param {"_esm" | "_css"} key
 */
export function text_of(model, key) {
	const value = model.get(key);
	return typeof value === "string" ? value : value instanceof MissingAsset ? "" : String(value ?? "");
}
