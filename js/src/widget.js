// AnyModel and AnyView: thin subclasses of the shared @jupyter-widgets/base classes that hand
// every decision to the model's Runtime.
/** @import { KernelMessage } from "@jupyterlab/services" */
/** @import { IBackboneModelOptions } from "@jupyter-widgets/base" */
import { DOMWidgetModel, DOMWidgetView, remove_buffers } from "@jupyter-widgets/base";
import { own_message, PARTS_KEY } from "./messages.js";
import { view_removed, view_shown, with_output_below } from "./outputs.js";
import { in_parts } from "./parts.js";
import { create_runtime, runtime_of } from "./runtime.js";
import { is_syncing, MissingAsset, SHARED_KEYS, shared_text, to_kernel } from "./saved.js";
import { to_wire } from "./wire.js";

/** @param {import("@jupyter-widgets/base").WidgetModel} model */
function runtime(model) {
	const found = runtime_of(model);
	if (!found) throw new Error(`[esmwidget] model ${model.model_id} is not an esmwidget AnyModel.`);
	return found;
}

export class AnyModel extends DOMWidgetModel {
	// Backbone calls `initialize` from its constructor, before subclass fields would exist, so all
	// state lives in the Runtime (runtime.js) and this class declares no fields.

	/** Saved widget state carries each distinct `_esm`/`_css` text once (saved.js). */
	static serializers = {
		...DOMWidgetModel.serializers,
		_esm: shared_text("_esm"),
		_css: shared_text("_css"),
	};

	/**
	 * @param {Backbone.ObjectHash} attributes
	 * @param {IBackboneModelOptions} options
	 */
	initialize(attributes, options) {
		super.initialize(attributes, options);
		const runtime = create_runtime(this);
		this.on("change:_esm", () => runtime.esm_changed());
		this.on("change:_css", () => runtime.css_changed());
		// docs/protocol.md, "Security": a model restored from notebook metadata (no live comm) runs no code until
		// a view of it renders. A model created by the kernel loads at once.
		if (this.comm_live) runtime.activate();
	}

	/**
	 * Loader messages (command replies, HMR errors) are handled at once. Everything else waits,
	 * in order, until the module has loaded and `initialize` has settled.
	 *
	 * @param {KernelMessage.ICommMsgMsg} msg
	 * @returns {Promise<void>}
	 */
	_handle_comm_msg(msg) {
		const rt = runtime(this);
		const data = msg.content.data;
		const buffers = /** @type {DataView[]} */ (msg.buffers ?? []);
		if (data.method === "custom") {
			const own = own_message(data.content);
			if (own) {
				rt.loader_message(own, buffers);
				return Promise.resolve();
			}
		}
		const state = data.method === "update" && typeof data.state === "object" && data.state ? data.state : {};
		return rt.queue_message(
			async () => {
				await super._handle_comm_msg(msg);
				for (const key of SHARED_KEYS) if (key in state) rt.clear_hmr_error(key);
			},
			"_esm" in state,
		);
	}

	/**
	 * Restoring saved state onto a model that already has its code (a live model): a text that
	 * could not be restored never replaces the one it has.
	 *
	 * @param {Backbone.ObjectHash} state
	 */
	set_state(state) {
		for (const key of SHARED_KEYS) {
			if (state[key] instanceof MissingAsset && typeof this.get(key) === "string") delete state[key];
		}
		super.set_state(state);
	}

	/**
	 * Callbacks for this model's messages to the kernel: what Python prints or raises while it
	 * handles one goes below the widget's newest view (outputs.js), not to a log out of sight.
	 *
	 * @param {import("@jupyter-widgets/base").WidgetView} [view]
	 */
	callbacks(view) {
		return with_output_below(this, super.callbacks(view));
	}

	/**
	 * A custom message; with no callbacks of the caller's, Python's output goes below the widget.
	 *
	 * @param {import("@lumino/coreutils").JSONValue} content
	 * @param {any} [callbacks]
	 * @param {ArrayBuffer[] | ArrayBufferView[]} [buffers]
	 */
	send(content, callbacks, buffers) {
		super.send(content, callbacks ?? this.callbacks(), buffers);
	}

	/**
	 * A sync to the kernel: `_esm`/`_css` go as text, never as a saved-state reference.
	 *
	 * @param {string} method
	 * @param {import("@jupyter-widgets/base").WidgetModel} model
	 * @param {object} [options]
	 */
	sync(method, model, options = {}) {
		return to_kernel(() => super.sync(method, model, options));
	}

	/**
	 * Send an update to the kernel. One whose binary values add up to more than 8 MiB sends
	 * them first in parts, as custom messages the kernel puts back together (parts.js); the
	 * update then names them. Otherwise this is the base class's message.
	 *
	 * @param {Record<string, any>} state
	 * @param {any} [callbacks]
	 * @returns {string}
	 */
	send_sync_message(state, callbacks = {}) {
		const comm = this.comm;
		if (!comm) return "";
		const split = remove_buffers(state);
		const large = in_parts(this.model_id, split.buffers);
		if (!large) return super.send_sync_message(state, callbacks);
		try {
			for (const part of large.parts) comm.send({ method: "custom", content: part.content }, {}, {}, [part.buffer]);
			// The base class's throttle: the kernel's idle status for this message frees the next.
			const own = { shell: { ...callbacks.shell }, iopub: { ...callbacks.iopub }, input: callbacks.input };
			const status = own.iopub.status;
			own.iopub.status = (/** @type {any} */ msg) => {
				this._handle_status(msg);
				status?.(msg);
			};
			const data = {
				method: "update",
				state: split.state,
				buffer_paths: split.buffer_paths,
				[PARTS_KEY]: large.uploads,
			};
			const msg_id = comm.send(data, own, {}, large.buffers);
			/** @type {any} */ (this)._pending_msgs++;
			return msg_id;
		} catch (error) {
			console.error(`[esmwidget] ${this.model_id}: could not send an update in parts`, error);
			return "";
		}
	}

	/**
	 * Copy state for the wire with `structuredClone` instead of the base class's JSON round trip,
	 * which destroys ArrayBuffers, typed arrays and DataViews (docs/protocol.md, "Binary buffers"). `layout`,
	 * `style` and keys with their own serializer keep the base behaviour. Mutates and returns
	 * `state`, as the base class's `sync` relies on.
	 *
	 * @param {Record<string, any>} state
	 */
	serialize(state) {
		const serializers = /** @type {typeof DOMWidgetModel} */ (this.constructor).serializers ?? {};
		for (const key of Object.keys(state)) {
			if (is_syncing() && state[key] instanceof MissingAsset) {
				delete state[key]; // nothing to tell the kernel: it owns the text
			} else if (serializers[key]?.serialize || key === "layout" || key === "style") {
				state[key] = super.serialize({ [key]: state[key] })[key];
			} else {
				state[key] = to_wire(state[key]);
			}
		}
		return state;
	}

	/**
	 * Close the model, then await every cleanup of its views and of `initialize`.
	 *
	 * @param {boolean} [comm_closed]
	 */
	async close(comm_closed = false) {
		await super.close(comm_closed);
		await runtime(this).dispose();
	}
}

/** @type {WeakMap<AnyView, import("./generation.js").Mount>} */
const mounts = new WeakMap();

export class AnyView extends DOMWidgetView {
	/** @param {import("@jupyter-widgets/base").WidgetView.IInitializeParameters} parameters */
	initialize(parameters) {
		super.initialize(parameters);
		// The base class counts a displayed view in `_view_count` when Python set it to a number
		// (ipywidgets' rule; plotly's FigureWidget relies on it). Python's update that sets it may
		// still wait behind the module's load when the view is displayed: count it once applied,
		// which is before the first render. The base class takes it off again at `remove`.
		this.once("displayed", () => {
			if (typeof this.model.get("_view_count") === "number") return; // counted already
			const mount = mounts.get(this);
			mount?.rendered.then(() => {
				const count = this.model.get("_view_count");
				if (mounts.get(this) !== mount || typeof count !== "number") return;
				this.model.set("_view_count", count + 1);
				this.model.save_changes();
			});
		});
	}

	render() {
		mounts.set(this, runtime(this.model).mount(this.el));
		view_shown(this.model, this.el);
	}

	/**
	 * `tooltip` (Python's `w.tooltip`) is the element's title. The base class shows it only when
	 * the model has an empty `description`, which an esmwidget model does not have at all.
	 */
	updateTooltip() {
		const title = this.model.get("tooltip");
		if (title) this.el.setAttribute("title", title);
		else this.el.removeAttribute("title");
	}

	remove() {
		view_removed(this.model, this.el);
		const mount = mounts.get(this);
		if (mount) {
			mounts.delete(this);
			runtime(this.model).unmount(mount);
		}
		return super.remove();
	}
}
