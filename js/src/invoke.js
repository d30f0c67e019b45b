// Commands: call a Python method and await its reply (anywidget's `experimental.invoke`).
/** @import { WidgetModel } from "@jupyter-widgets/base" */
/** @import { CommandFailure, CommandResult, InvokeOptions } from "./types.js" */
import { command_request } from "./messages.js";
import { exact_buffers } from "./wire.js";

/** @typedef {{ name: string, resolve(value: [unknown, DataView[]]): void, reject(error: unknown): void }} Pending */

/** The pending calls of one model, matched to replies by id. */
export class Commands {
	/**
	 * @param {WidgetModel} model
	 * @param {() => string} id the widget class id, for error messages
	 */
	constructor(model, id) {
		this.model = model;
		this.id = id;
		/** @type {Map<string, Pending>} */
		this.pending = new Map();
	}

	/**
	 * Send a command. There is no timeout: the call waits for Python's reply, an error reply, or
	 * the abort of `options.signal` or of the calling context (`lifetime`).
	 *
	 * @param {string} name
	 * @param {unknown} msg
	 * @param {InvokeOptions} options
	 * @param {AbortSignal} lifetime
	 * @returns {Promise<[any, DataView[]]>}
	 */
	invoke(name, msg, options, lifetime) {
		const signal = options.signal ? AbortSignal.any([options.signal, lifetime]) : lifetime;
		return new Promise((resolve, reject) => {
			if (signal.aborted) return reject(signal.reason);
			if (!this.model.comm_live) {
				return reject(
					new Error(
						`[esmwidget] ${this.id()}: cannot invoke ${JSON.stringify(name)}: the widget has no kernel connection.`,
					),
				);
			}
			const call_id = uuid();
			const on_abort = () => {
				this.pending.delete(call_id);
				reject(signal.reason);
			};
			signal.addEventListener("abort", on_abort, { once: true });
			this.pending.set(call_id, {
				name,
				resolve: (value) => {
					signal.removeEventListener("abort", on_abort);
					resolve(value);
				},
				reject: (error) => {
					signal.removeEventListener("abort", on_abort);
					reject(error);
				},
			});
			const buffers = exact_buffers(options.buffers ?? []);
			this.model.send(/** @type {any} */ (command_request(call_id, name, msg)), undefined, buffers);
		});
	}

	/**
	 * A reply from Python.
	 *
	 * @param {CommandResult | CommandFailure} reply
	 * @param {DataView[]} buffers
	 */
	receive(reply, buffers) {
		const call = this.pending.get(reply.id);
		if (!call) return; // aborted meanwhile, or meant for another front end
		this.pending.delete(reply.id);
		if ("error" in reply) {
			const { type, message } = reply.error;
			call.reject(
				new Error(`[esmwidget] ${this.id()}: command ${JSON.stringify(call.name)} failed: ${type}: ${message}`, {
					cause: reply.error,
				}),
			);
		} else {
			call.resolve([reply.response, buffers]);
		}
	}

	/** @param {unknown} reason */
	reject_all(reason) {
		for (const call of this.pending.values()) call.reject(reason);
		this.pending.clear();
	}
}

/** A v4 UUID; `crypto.randomUUID` exists only in secure contexts (not plain-http remote servers). */
export function uuid() {
	if (typeof crypto.randomUUID === "function" && globalThis.isSecureContext) return crypto.randomUUID();
	const b = crypto.getRandomValues(new Uint8Array(16));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
