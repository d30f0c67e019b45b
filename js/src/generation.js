// One module generation of a model: the imported `_esm`, its `initialize` (once, raced against
// the generation's end), `render` into each mount, and the cleanups that end it. A model's
// Runtime (runtime.js) owns its lifetime and replaces the generation when `_esm` changes.
/** @import { WidgetModel } from "@jupyter-widgets/base" */
/** @import { AnyWidget, Cleanup, Experimental, Host, WidgetDef } from "./types.js" */
import { entry_of, instantiate } from "./afm.js";
import { show_error, WidgetError, widget_error } from "./errors.js";
import { ImportFailure, import_esm, is_fetch_failure, is_url, remote_imports } from "./load.js";
import { model_proxy } from "./model.js";
import { missing_asset, text_of } from "./saved.js";
import { original_position } from "./sourcemap.js";

/**
 * What a generation needs from its model's Runtime.
 *
 * @typedef {object} Binding
 * @property {WidgetModel} model
 * @property {string} id the widget class id, for messages
 * @property {(signal: AbortSignal) => Experimental} experimental
 * @property {(signal: AbortSignal) => Host} host
 * @property {(text: string) => Promise<string>} files resolves the module's references to its
 * own files (files.js)
 * @property {() => number} files_version changes when those files change (hot reload)
 * @property {(path: string) => Promise<string | null>} file_url the URL of one of the widget's
 * own files (a source map beside the module)
 */

/**
 * One element the widget renders into: a view's `el`, or a `host.getWidget` target.
 *
 * @typedef {object} Mount
 * @property {HTMLElement} el
 * @property {AbortController} controller aborted when the mount is removed
 * @property {Generation | null} generation the generation last rendered into `el`
 * @property {Cleanup | undefined} cleanup returned by `render`
 * @property {Promise<void>} rendered settles when the latest render call has
 */

export class Generation {
	/**
	 * @param {Binding} binding
	 * @param {AbortController} controller aborted when the generation is replaced or the model closes
	 */
	constructor(binding, controller) {
		this.binding = binding;
		this.controller = controller;
		/** @type {AnyWidget | null} the module's entry, until `initialize` has run */
		this.entry = null;
		/** @type {WidgetDef | null} */
		this.widget = null;
		/** @type {WidgetError | null} shown in every mount instead of rendering */
		this.error = null;
		/** @type {Cleanup | undefined} returned by `initialize` */
		this.cleanup = undefined;
		/** @type {unknown} returned by `initialize` when it is not a function (anywidget 0.11) */
		this.exports = undefined;
		/** @type {string | null} the module's URL or sourceURL, to find positions in stack traces */
		this.url = null;
		/** Lets go of the module text, which the other models of the class import too (load.js). */
		this.release = () => {};
		/** Whether `initialize` is running: a newer module may end the generation then (runtime.js). */
		this.initializing = false;
	}

	/**
	 * Import the model's current `_esm`. A failure becomes the generation's error, shown in its
	 * mounts; it never throws.
	 *
	 * @param {Binding} binding
	 * @returns {Promise<Generation>}
	 */
	static async load(binding) {
		const { model, id } = binding;
		const generation = new Generation(binding, new AbortController());
		const esm = text_of(model, "_esm");
		try {
			const missing = missing_asset(model);
			if (missing) throw new WidgetError(id, "load", missing.message, { detail: missing.detail });
			if (!esm.trim()) {
				throw new WidgetError(id, "module", "_esm is empty. Set it to module source or an http(s) URL.");
			}
			const imported = import_esm(esm, id, binding.files, binding.files_version());
			generation.release = imported.release;
			const loaded = await imported.loaded;
			generation.url = loaded.url;
			generation.entry = entry_of(loaded.namespace, id);
		} catch (error) {
			generation.error =
				error instanceof ImportFailure
					? widget_error(error.cause, id, "load", error.url, error.position)
					: widget_error(error, id, "load", null);
			await in_original_source(generation.error, esm, binding);
			const cause = error instanceof ImportFailure ? error.cause : error;
			const remote = is_fetch_failure(cause) ? await remote_imports_of(esm) : [];
			if (remote.length > 0) {
				generation.error.detail +=
					`\nIt loads ${remote.join(", ")}, which cannot be reached from this page (offline, or ` +
					"blocked). Bundle what it imports into the module, or ship it as a file beside the module.";
			}
		}
		return generation;
	}

	get aborted() {
		return this.controller.signal.aborted;
	}

	/**
	 * Run `initialize` once. It is raced against the generation's end: a generation replaced or
	 * closed while `initialize` has not settled stops waiting for it (so a stuck `initialize`
	 * never holds up the next module), and runs its cleanup if it settles later.
	 */
	async initialize() {
		const { entry } = this;
		if (!entry || this.error) return;
		const { model, id } = this.binding;
		const signal = this.controller.signal;
		const ran = (async () => {
			const widget = await instantiate(entry, id);
			this.widget = widget;
			return widget.initialize?.({
				model: model_proxy(model, signal),
				signal,
				experimental: this.binding.experimental(signal),
			});
		})();
		/** @type {Promise<{ ended: true }>} */
		const ended = new Promise((resolve) => {
			if (signal.aborted) resolve({ ended: true });
			else signal.addEventListener("abort", () => resolve({ ended: true }), { once: true });
		});
		this.initializing = true;
		try {
			const outcome = await Promise.race([ran.then((result) => ({ result })), ended]);
			if ("ended" in outcome) {
				// Replaced or closed first: whatever it returns later is cleaned up at once.
				ran.then(
					(late) => run_cleanup(as_cleanup(late), id, "initialize"),
					() => {},
				);
				return;
			}
			const cleanup = as_cleanup(outcome.result);
			if (cleanup) this.cleanup = cleanup;
			else this.exports = outcome.result;
		} catch (error) {
			this.error = widget_error(error, id, "initialize", this.url);
			await in_original_source(this.error, text_of(this.binding.model, "_esm"), this.binding);
		} finally {
			this.initializing = false;
		}
		if (this.aborted) {
			await run_cleanup(this.cleanup, id, "initialize");
			this.cleanup = undefined;
		}
	}

	/**
	 * Render into a mount, or show the generation's error there.
	 *
	 * @param {Mount} mount
	 */
	async render(mount) {
		const { model, id } = this.binding;
		mount.generation = this;
		mount.el.replaceChildren();
		const render = this.widget?.render;
		if (this.error) {
			show_error(mount.el, this.error);
			return;
		}
		if (!render) return;
		const signal = AbortSignal.any([this.controller.signal, mount.controller.signal]);
		try {
			const result = await render({
				model: model_proxy(model, signal),
				el: mount.el,
				signal,
				host: this.binding.host(signal),
				experimental: this.binding.experimental(signal),
			});
			const cleanup = as_cleanup(result);
			// Removed or replaced while rendering: clean up at once.
			if (signal.aborted) await run_cleanup(cleanup, id, "render");
			else mount.cleanup = cleanup;
		} catch (error) {
			if (signal.aborted) return;
			const shown = widget_error(error, id, "render", this.url);
			await in_original_source(shown, text_of(model, "_esm"), this.binding);
			if (signal.aborted) return;
			console.error(shown.message, shown.detail, error);
			show_error(mount.el, shown);
		}
	}

	/**
	 * End the generation: abort it, then await its cleanups, views first, then `initialize`'s.
	 *
	 * @param {Iterable<Mount>} mounts
	 */
	async retire(mounts) {
		this.controller.abort();
		const cleanups = [];
		for (const mount of mounts) {
			if (mount.generation !== this) continue;
			cleanups.push(run_cleanup(mount.cleanup, this.binding.id, "render"));
			mount.cleanup = undefined;
		}
		await Promise.all(cleanups);
		const cleanup = this.cleanup;
		this.cleanup = undefined;
		await run_cleanup(cleanup, this.binding.id, "initialize");
		this.release();
	}
}

/**
 * A position in a bundled module, moved to the original source its source map names
 * (`line 12, column 5 of js/widget.ts`); left as it is without a map.
 *
 * @param {WidgetError} error
 * @param {string} esm the module text
 * @param {Binding} binding
 */
async function in_original_source(error, esm, binding) {
	if (error.line === undefined || !esm.includes("sourceMappingURL")) return;
	if (error.file && !esm.includes(`sourceURL=${error.file}`)) return; // in another chunk
	const original = await original_position(esm, error.line, error.column ?? 1, binding.file_url);
	if (!original) return;
	error.file = original.file;
	error.line = original.line;
	error.column = original.column;
}

/**
 * @param {unknown} value what `initialize` or `render` returned
 * @returns {Cleanup | undefined}
 */
function as_cleanup(value) {
	return typeof value === "function" ? /** @type {Cleanup} */ (value) : undefined;
}

/**
 * Await a cleanup; its failure is a warning, never thrown.
 *
 * @param {Cleanup | undefined} cleanup
 * @param {string} id
 * @param {"initialize" | "render"} phase
 */
export async function run_cleanup(cleanup, id, phase) {
	if (typeof cleanup !== "function") return;
	try {
		await cleanup();
	} catch (error) {
		console.warn(`[esmwidget] ${id}: the cleanup returned by ${phase}() failed`, error);
	}
}

/**
 * The http(s) addresses a module that failed to fetch imports: read from its text, which a module
 * given by URL (a documentation site's own file) is fetched for; the URL itself when even that
 * cannot be fetched.
 *
 * @param {string} esm inline source or an http(s) URL
 * @returns {Promise<string[]>}
 */
async function remote_imports_of(esm) {
	if (!is_url(esm)) return remote_imports(esm);
	try {
		const response = await fetch(esm.trim());
		if (!response.ok) return [esm.trim()];
		return remote_imports(await response.text());
	} catch {
		return [esm.trim()];
	}
}
