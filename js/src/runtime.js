// One Runtime per model: loads `_esm` into generations, runs `initialize` once per generation
// and `render` once per mount, and tears each lifetime down through its AbortSignal.
/** @import { WidgetModel } from "@jupyter-widgets/base" */
/** @import { ChildWidget, Cleanup, Experimental, Host, LoaderEvent, OwnMessage, WidgetDef, AnyWidget } from "./types.js" */
import { entry_of, instantiate } from "./afm.js";
import * as css from "./css.js";
import { remove_errors, show_error, TITLES, WidgetError, widget_error } from "./errors.js";
import { Commands } from "./invoke.js";
import { ImportFailure, import_esm } from "./load.js";
import { ANYWIDGET_REF, COMMAND_RESPONSE, HMR_ERROR, HMR_OK, IPY_MODEL, PYTHON_ERROR, REFUSED } from "./messages.js";
import { model_proxy } from "./model.js";
import { missing_asset, text_of } from "./saved.js";

/**
 * One loaded module and its `initialize`; replaced as a whole when `_esm` changes.
 *
 * @typedef {object} Generation
 * @property {AbortController} controller aborted when the generation is replaced or the model closes
 * @property {WidgetDef | null} widget
 * @property {WidgetError | null} error shown in every mount instead of rendering
 * @property {Cleanup | undefined} cleanup returned by `initialize`
 * @property {unknown} exports returned by `initialize` when it is not a function (anywidget 0.11)
 * @property {string | null} url the module's URL or sourceURL, to find positions in stack traces
 * @property {() => void} release lets go of the module text, which the other models of the class
 * import too (load.js)
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

/** @type {WeakMap<WidgetModel, Runtime>} */
const runtimes = new WeakMap();

/** @param {WidgetModel} model */
export function runtime_of(model) {
	return runtimes.get(model);
}

/** @param {WidgetModel} model */
export function create_runtime(model) {
	const runtime = new Runtime(model);
	runtimes.set(model, runtime);
	return runtime;
}

export class Runtime {
	/** @param {WidgetModel} model */
	constructor(model) {
		this.model = model;
		/** Code runs only once active: at once with a live comm, else at the first render. */
		this.active = false;
		this.closed = false;
		/** @type {Generation | null} */
		this.generation = null;
		/** @type {Set<Mount>} */
		this.mounts = new Set();
		/** Module loads, one at a time in order; settles when all scheduled ones have. */
		this.tasks = Promise.resolve();
		/** How many module loads are scheduled or running. */
		this.loads = 0;
		/** Incoming comm messages, one at a time in order. */
		this.inbox = Promise.resolve();
		/** Messages that arrived while a module loaded, applied before the views render. */
		/** @type {(() => Promise<void>)[]} */
		this.waiting = [];
		/** Cleanups of removed mounts still running. @type {Set<Promise<void>>} */
		this.cleanups = new Set();
		/** The last hot reload failure, shown above every view until its key is sent again. */
		/** @type {{ key: string, error: WidgetError } | null} */
		this.hmr_error = null;
		/** @type {string | null} the stylesheet key held while active */
		this.css_key = null;
		/** @type {Promise<void> | null} */
		this.disposed = null;
		this.commands = new Commands(model, () => this.id);
	}

	/** The widget class id (`_anywidget_id`), or the model id when there is none. */
	get id() {
		return String(this.model.get("_anywidget_id") || this.model.model_id || "widget");
	}

	/** Start: apply `_css` and load `_esm`. */
	activate() {
		if (this.active || this.closed) return;
		this.active = true;
		this.css_key = this.id;
		css.acquire(this.css_key, text_of(this.model, "_css"));
		this.#schedule(() => this.#load());
	}

	/**
	 * Run `handle` for an incoming comm message, in order: at once, or, while a module loads,
	 * once `initialize` has settled and before the views render, so that `initialize`'s listeners
	 * hear every message and the first `render` sees every update that arrived before it.
	 * Messages are queued, never dropped, with no timeout.
	 *
	 * JupyterLab's kernel connection awaits the returned promise before it handles the next
	 * message of any comm. While a module loads, the promise is already resolved, so a slow
	 * `initialize` (or one awaiting a command reply) never holds up the kernel connection.
	 * Otherwise it settles once the message is applied, as the base class's does.
	 *
	 * @param {() => Promise<void>} handle
	 * @returns {Promise<void>}
	 */
	queue_message(handle) {
		if (this.loads > 0) {
			this.waiting.push(handle);
			return Promise.resolve();
		}
		const done = this.inbox.then(handle);
		this.inbox = done.then(
			() => {},
			() => {}, // the base class already logged it
		);
		return done;
	}

	/**
	 * Apply the messages that arrived while a module loaded, oldest first. One that changes
	 * `_esm` schedules the next load: the rest wait for that one, so every module version still
	 * loads in turn.
	 *
	 * @param {number} [loads] how many loads may be scheduled while this drain runs (the current one)
	 */
	async #drain(loads = 0) {
		while (this.waiting.length > 0 && this.loads <= loads) {
			const handle = /** @type {() => Promise<void>} */ (this.waiting.shift());
			try {
				await handle();
			} catch {
				// the base class already logged it
			}
		}
	}

	/** @param {LoaderEvent} event */
	apply_event(event) {
		switch (event.type) {
			case "esm-update":
				if (this.active) this.#schedule(() => this.#load());
				return;
			case "css-update":
				if (this.css_key !== null) css.update(this.css_key, text_of(this.model, "_css"));
				return;
			case "hmr-error": {
				const detail = event.path ? `${event.message} (${event.path})` : event.message;
				const error = new WidgetError(this.id, "hmr", "hot reload failed", { detail });
				this.hmr_error = { key: event.key, error };
				console.error(error.message, detail);
				for (const mount of this.mounts) show_error(mount.el, error, { keep_content: true });
				return;
			}
			case "hmr-ok":
				this.clear_hmr_error(event.key);
				return;
			default: {
				/** @type {never} */
				const unknown = event;
				throw new Error(`[esmwidget] unknown loader event: ${JSON.stringify(unknown)}`);
			}
		}
	}

	/**
	 * A custom message meant for the loader.
	 *
	 * @param {OwnMessage} message
	 * @param {DataView[]} buffers
	 */
	loader_message(message, buffers) {
		switch (message.kind) {
			case COMMAND_RESPONSE:
				return this.commands.receive(message, buffers);
			case HMR_ERROR:
				return this.apply_event({
					type: "hmr-error",
					key: message.key ?? "_esm",
					message: message.message,
					path: message.path,
				});
			case HMR_OK:
				return this.apply_event({ type: "hmr-ok", key: message.key ?? "_esm" });
			case PYTHON_ERROR:
				return this.#python_error(message);
			case REFUSED:
				return this.#refused(message);
			default: {
				/** @type {never} */
				const unknown = message;
				throw new Error(`[esmwidget] unknown message: ${JSON.stringify(unknown)}`);
			}
		}
	}

	/**
	 * A Python handler of this widget's messages raised: say so where the author looks, above
	 * every view (which keeps working) and in the console with the traceback.
	 *
	 * @param {import("./types.js").PythonErrorMessage} message
	 */
	#python_error(message) {
		const { type, message: text, traceback } = message.error ?? {};
		const detail = `${message.where} raised ${type}: ${text}`;
		const error = new WidgetError(this.id, "python", TITLES.python, { detail });
		console.error(error.message, detail, traceback ?? "");
		for (const mount of this.mounts) show_error(mount.el, error, { keep_content: true });
	}

	/**
	 * Python did not take keys the module set: each reason goes to the console, and a mistake
	 * the author must fix in Python (a rejected value, a trait without `sync=True`) also above
	 * every view, which keeps working.
	 *
	 * @param {import("./types.js").RefusedMessage} message
	 */
	#refused(message) {
		/** @type {string[]} */
		const noted = [];
		for (const { key, why, reason, value } of message.refused ?? []) {
			const call = `model.set(${JSON.stringify(key)}${why === "invalid" ? `, ${value}` : ""})`;
			const said = why === "invalid" ? `Python kept its value after ${call}` : `Python ignored ${call}`;
			console.warn(`[esmwidget] ${this.id}: ${said}: ${reason}`);
			if (why === "invalid" || why === "unsynced") noted.push(`${said}: ${reason}`);
		}
		if (noted.length === 0) return;
		const note = new WidgetError(this.id, "sync", TITLES.sync, { detail: noted.join("\n") });
		for (const mount of this.mounts) show_error(mount.el, note, { keep_content: true, dismissible: true });
	}

	/**
	 * Python sent `key` (`_esm` or `_css`) again, changed or not, or reported its file back: drop
	 * the hot reload error about it.
	 *
	 * @param {string} key
	 */
	clear_hmr_error(key) {
		if (this.hmr_error?.key !== key) return;
		this.hmr_error = null;
		for (const mount of this.mounts) remove_errors(mount.el, "hmr");
	}

	/**
	 * Render into `el` now and after every module swap, until `unmount`.
	 *
	 * @param {HTMLElement} el
	 * @returns {Mount}
	 */
	mount(el) {
		/** @type {Mount} */
		const mount = {
			el,
			controller: new AbortController(),
			generation: null,
			cleanup: undefined,
			rendered: Promise.resolve(),
		};
		this.mounts.add(mount);
		this.activate(); // a model restored without a comm loads its code only now (docs/protocol.md, "Security")
		/** @type {Promise<void>} */
		const rendered = this.tasks.then(() => {
			if (!this.mounts.has(mount)) return;
			if (mount.generation !== this.generation) return this.#render(mount);
			// A module swap rendered it meanwhile: settle with that render.
			if (mount.rendered !== rendered) return mount.rendered;
		});
		mount.rendered = rendered;
		return mount;
	}

	/** @param {Mount} mount */
	unmount(mount) {
		if (!this.mounts.delete(mount)) return;
		mount.controller.abort();
		const cleanup = mount.cleanup;
		mount.cleanup = undefined;
		const done = run_cleanup(cleanup, this.id, "render");
		this.cleanups.add(done);
		done.finally(() => this.cleanups.delete(done));
	}

	/** The model closed: end every lifetime, await their cleanups, release the stylesheet. */
	dispose() {
		this.disposed ??= (async () => {
			this.closed = true;
			for (const mount of [...this.mounts]) this.unmount(mount);
			this.commands.reject_all(new Error(`[esmwidget] ${this.id}: the widget was closed.`));
			await Promise.all(this.cleanups);
			await this.#retire();
			if (this.css_key !== null) css.release(this.css_key);
		})();
		return this.disposed;
	}

	/** @param {() => Promise<void>} task */
	#schedule(task) {
		this.loads += 1;
		this.tasks = this.tasks
			.then(task)
			.catch((error) => {
				console.error(`[esmwidget] ${this.id}: internal error`, error);
			})
			.finally(() => {
				this.loads -= 1;
				// What arrived after the last load drained: ahead of any later message.
				if (this.loads === 0 && this.waiting.length > 0) this.inbox = this.inbox.then(() => this.#drain());
			});
	}

	/** Import the current `_esm`, replace the generation, initialize, re-render every mount. */
	async #load() {
		if (this.closed) return;
		const id = this.id;
		const esm = text_of(this.model, "_esm");
		const controller = new AbortController();
		/** @type {Generation} */
		const next = {
			controller,
			widget: null,
			error: null,
			cleanup: undefined,
			exports: undefined,
			url: null,
			release: () => {},
		};
		/** @type {AnyWidget | null} */
		let entry = null;
		try {
			const missing = missing_asset(this.model);
			if (missing) throw new WidgetError(id, "load", missing.message, { detail: missing.detail });
			if (!esm.trim()) {
				throw new WidgetError(id, "module", "_esm is empty. Set it to module source or an http(s) URL.");
			}
			const imported = import_esm(esm, id);
			next.release = imported.release;
			const loaded = await imported.loaded;
			next.url = loaded.url;
			entry = entry_of(loaded.namespace, id);
		} catch (error) {
			next.error =
				error instanceof ImportFailure
					? widget_error(error.cause, id, "load", error.url, error.position)
					: widget_error(error, id, "load", null);
		}
		await this.#retire();
		if (this.closed) {
			next.release();
			return;
		}
		this.generation = next;
		this.clear_hmr_error("_esm");
		if (entry) {
			try {
				next.widget = await instantiate(entry, id);
				const result = await next.widget.initialize?.({
					model: model_proxy(this.model, controller.signal),
					signal: controller.signal,
					experimental: this.#experimental(controller.signal),
				});
				if (typeof result === "function") next.cleanup = /** @type {Cleanup} */ (result);
				else next.exports = result;
			} catch (error) {
				next.error = widget_error(error, id, "initialize", next.url);
			}
			if (this.closed || controller.signal.aborted) {
				// Closed while initialize ran: dispose already retired this generation.
				await run_cleanup(next.cleanup, id, "initialize");
				return;
			}
		}
		if (next.error) console.error(next.error.message, next.error.detail, next.error.cause ?? "");
		await this.#drain(1);
		if (this.closed || controller.signal.aborted) return;
		for (const mount of this.mounts) mount.rendered = this.#render(mount);
	}

	/** Abort the current generation and await its cleanups: views first, then `initialize`'s. */
	async #retire() {
		const generation = this.generation;
		if (!generation) return;
		this.generation = null;
		generation.controller.abort();
		const cleanups = [];
		for (const mount of this.mounts) {
			if (mount.generation !== generation) continue;
			cleanups.push(run_cleanup(mount.cleanup, this.id, "render"));
			mount.cleanup = undefined;
		}
		await Promise.all(cleanups);
		await run_cleanup(generation.cleanup, this.id, "initialize");
		generation.release();
	}

	/**
	 * Render the current generation into a mount, or its error.
	 *
	 * @param {Mount} mount
	 */
	async #render(mount) {
		const generation = this.generation;
		if (!generation) return;
		mount.generation = generation;
		mount.el.replaceChildren();
		const render = generation.widget?.render;
		if (generation.error) {
			show_error(mount.el, generation.error);
		} else if (render) {
			const signal = AbortSignal.any([generation.controller.signal, mount.controller.signal]);
			try {
				const result = await render({
					model: model_proxy(this.model, signal),
					el: mount.el,
					signal,
					host: this.#host(signal),
					experimental: this.#experimental(signal),
				});
				const cleanup = typeof result === "function" ? /** @type {Cleanup} */ (result) : undefined;
				// Removed or replaced while rendering: clean up at once.
				if (signal.aborted) await run_cleanup(cleanup, this.id, "render");
				else mount.cleanup = cleanup;
			} catch (error) {
				if (signal.aborted) return;
				const shown = widget_error(error, this.id, "render", generation.url);
				console.error(shown.message, shown.detail, error);
				show_error(mount.el, shown);
			}
		}
		if (this.hmr_error && mount.generation === this.generation) {
			show_error(mount.el, this.hmr_error.error, { keep_content: true });
		}
	}

	/**
	 * @param {AbortSignal} signal
	 * @returns {Experimental}
	 */
	#experimental(signal) {
		return {
			invoke: (name, msg, options = {}) => this.commands.invoke(name, msg, options, signal),
		};
	}

	/**
	 * Access to other widgets, for `render` (anywidget 0.11 `host`).
	 *
	 * @param {AbortSignal} signal
	 * @returns {Host}
	 */
	#host(signal) {
		return {
			getModel: async (ref) => /** @type {any} */ (model_proxy(await this.#resolve(ref), signal)),
			getWidget: async (ref) => {
				const model = await this.#resolve(ref);
				const child = runtime_of(model);
				if (!child) return this.#foreign_widget(model, ref, signal);
				child.activate();
				await child.tasks;
				/** @type {ChildWidget} */
				const widget = {
					exports: child.generation?.exports,
					render: async ({ el, signal: own }) => {
						const lifetime = own ? AbortSignal.any([signal, own]) : signal;
						if (lifetime.aborted) return;
						const mount = child.mount(el);
						lifetime.addEventListener("abort", () => child.unmount(mount), { once: true });
						await mount.rendered;
					},
				};
				return widget;
			},
		};
	}

	/**
	 * A child that is not an esmwidget widget (an ipywidgets slider, another library's widget):
	 * the page's widget manager makes its view, as a container of that library would.
	 *
	 * @param {WidgetModel} model
	 * @param {string} ref
	 * @param {AbortSignal} signal
	 * @returns {ChildWidget}
	 */
	#foreign_widget(model, ref, signal) {
		const manager = model.widget_manager;
		if (typeof manager?.create_view !== "function") {
			const name = `${model.get("_model_module")}.${model.get("_model_name")}`;
			throw new Error(
				`[esmwidget] ${this.id}: host.getWidget(${JSON.stringify(ref)}) is a ${name} widget, and this page has no widget manager that can draw it.`,
			);
		}
		return {
			exports: undefined,
			render: async ({ el, signal: own }) => {
				const lifetime = own ? AbortSignal.any([signal, own]) : signal;
				if (lifetime.aborted) return;
				const view = await manager.create_view(model, {});
				if (lifetime.aborted) {
					view.remove();
					return;
				}
				el.append(view.el);
				// What an output area does once a view is in the page: views finish their layout on it.
				view.trigger("displayed");
				lifetime.addEventListener("abort", () => view.remove(), { once: true });
			},
		};
	}

	/**
	 * @param {string} ref `IPY_MODEL_<id>`, `anywidget:<id>` or a bare model id
	 * @returns {Promise<WidgetModel>}
	 */
	#resolve(ref) {
		let id = ref;
		if (ref.startsWith(IPY_MODEL)) id = ref.slice(IPY_MODEL.length);
		else if (ref.startsWith(ANYWIDGET_REF)) id = ref.slice(ANYWIDGET_REF.length);
		return this.model.widget_manager.get_model(id);
	}
}

/**
 * Await a cleanup; its failure is a warning, never thrown.
 *
 * @param {Cleanup | undefined} cleanup
 * @param {string} id
 * @param {"initialize" | "render"} phase
 */
async function run_cleanup(cleanup, id, phase) {
	if (typeof cleanup !== "function") return;
	try {
		await cleanup();
	} catch (error) {
		console.warn(`[esmwidget] ${id}: the cleanup returned by ${phase}() failed`, error);
	}
}
