// One Runtime per model: owns the model's lifetime (its mounts, incoming messages, stylesheet
// and loader messages) and replaces its module generation (generation.js) when `_esm` changes.
/** @import { WidgetModel } from "@jupyter-widgets/base" */
/** @import { Experimental, OwnMessage } from "./types.js" */
/** @import { Binding, Mount } from "./generation.js" */
import * as css from "./css.js";
import { remove_errors, show_error, TITLES, WidgetError } from "./errors.js";
import { FileRequests, with_css_files, with_files } from "./files.js";
import { Generation, run_cleanup } from "./generation.js";
import { make_host } from "./host.js";
import { Commands } from "./invoke.js";
import {
	COMMAND_RESPONSE,
	FILE_RESPONSE,
	FILES_CHANGED,
	HMR_ERROR,
	HMR_OK,
	PYTHON_ERROR,
	REFUSED,
} from "./messages.js";
import { text_of } from "./saved.js";

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
		/** @type {Generation | null} the generation the mounts show */
		this.generation = null;
		/** @type {Generation | null} the generation whose `initialize` runs, if any */
		this.loading = null;
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
		this.files = new FileRequests(model, () => this.id);
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
		this.#resolve_css();
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
	 * A message that brings a new `_esm` ends a generation whose `initialize` has not settled, so
	 * that a stuck `initialize` never holds up the new module (nor the messages queued behind
	 * it); a settled generation keeps its views until the new module has loaded.
	 *
	 * @param {() => Promise<void>} handle
	 * @param {boolean} [new_module] whether the message sets `_esm`
	 * @returns {Promise<void>}
	 */
	queue_message(handle, new_module = false) {
		if (new_module && this.loading?.initializing) this.loading.controller.abort();
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

	/** Python sent a new `_esm`: load it into a new generation (once active). */
	esm_changed() {
		if (this.active) this.#schedule(() => this.#load());
	}

	/** Python sent a new `_css`: restyle in place. */
	css_changed() {
		if (this.css_key === null) return;
		css.update(this.css_key, text_of(this.model, "_css"));
		this.#resolve_css();
	}

	/** Then, once the widget's files it names (`url(./font.woff2)`) are here, with them. */
	#resolve_css() {
		const text = text_of(this.model, "_css");
		if (!/url\(/.test(text)) return;
		with_css_files(text, (path) => this.files.url(path)).then((resolved) => {
			const key = this.css_key;
			if (key !== null && resolved !== text && text_of(this.model, "_css") === text) css.update(key, resolved);
		});
	}

	/**
	 * A custom message meant for the loader: the one switch over them.
	 *
	 * @param {OwnMessage} message
	 * @param {DataView[]} buffers
	 */
	loader_message(message, buffers) {
		switch (message.kind) {
			case COMMAND_RESPONSE:
				return this.commands.receive(message, buffers);
			case FILE_RESPONSE:
				return this.files.receive(message, buffers);
			case FILES_CHANGED:
				this.files.forget(message.paths ?? []);
				return this.esm_changed();
			case HMR_ERROR:
				return this.#hmr_failed(message);
			case HMR_OK:
				return this.clear_hmr_error(message.key ?? "_esm");
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
	 * The kernel could not hot-reload a file: say so above every view, which keeps working.
	 *
	 * @param {import("./types.js").HmrErrorMessage} message
	 */
	#hmr_failed(message) {
		const detail = message.path ? `${message.message} (${message.path})` : message.message;
		const error = new WidgetError(this.id, "hmr", "hot reload failed", { detail });
		this.hmr_error = { key: message.key ?? "_esm", error };
		console.error(error.message, detail);
		for (const mount of this.mounts) show_error(mount.el, error, { keep_content: true });
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
	 * The one place a hot reload error goes: Python sent `key` (`_esm` or `_css`) again, changed
	 * or not (widget.js), or reported its file back (`esmwidget-hmr-ok`).
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
			this.files.close();
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

	/** Import the current `_esm` into a new generation, retire the old one, initialize, render. */
	async #load() {
		if (this.closed) return;
		const next = await Generation.load(this.#binding);
		await this.#retire();
		if (this.closed) {
			next.release();
			return;
		}
		this.generation = next;
		this.loading = next;
		await next.initialize();
		if (this.loading === next) this.loading = null;
		if (this.closed || next.aborted) return;
		if (next.error) console.error(next.error.message, next.error.detail, next.error.cause ?? "");
		await this.#drain(1);
		if (this.closed || next.aborted) return;
		for (const mount of this.mounts) mount.rendered = this.#render(mount);
	}

	/** What a generation needs from this runtime. @returns {Binding} */
	get #binding() {
		return {
			model: this.model,
			id: this.id,
			experimental: (signal) => this.#experimental(signal),
			host: (signal) => make_host(this.model, this.id, signal, runtime_of),
			files: (text) => with_files(text, "", (path) => this.files.url(path)),
			files_version: () => this.files.version,
			file_url: (path) => this.files.url(path),
		};
	}

	/** End the current generation and await its cleanups. */
	async #retire() {
		const generation = this.generation;
		if (!generation) return;
		this.generation = null;
		await generation.retire(this.mounts);
	}

	/**
	 * Render the current generation into a mount, then the standing hot reload error.
	 *
	 * @param {Mount} mount
	 */
	async #render(mount) {
		const generation = this.generation;
		if (!generation) return;
		await generation.render(mount);
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
}
