// Messages between a Streamlit page and Python carry JSON only: binary values travel as base64
// with their paths, as in saved widget state (src/esmwidget/_wire/saved_state.py).
import { bytes_of, to_wire } from "../wire.js";

/** @typedef {{ path: (string | number)[], encoding: "base64", data: string }} EncodedBuffer */

/**
 * Copy `state` for Python: binary values (DataView, typed arrays, ArrayBuffer) leave the JSON and
 * go as base64 buffers, each with the path where it was.
 *
 * @param {Record<string, unknown>} state
 * @returns {{ state: Record<string, unknown>, buffers: EncodedBuffer[] }}
 */
export function encode_state(state) {
	/** @type {EncodedBuffer[]} */
	const buffers = [];
	/**
	 * @param {unknown} value
	 * @param {(string | number)[]} path
	 * @returns {unknown}
	 */
	const walk = (value, path) => {
		const bytes = bytes_of(value);
		if (bytes) {
			buffers.push({ path, encoding: "base64", data: encode(bytes) });
			return null;
		}
		if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]));
		if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
			return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key])]));
		}
		return value;
	};
	/** @type {Record<string, unknown>} */
	const json = {};
	for (const [key, value] of Object.entries(state)) json[key] = walk(to_wire(value), [key]);
	return { state: json, buffers };
}

/**
 * Base64 of `bytes`, in chunks (a spread of megabytes would overflow the call stack).
 *
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function encode(bytes) {
	let text = "";
	for (let i = 0; i < bytes.length; i += 0x8000) {
		text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	}
	return btoa(text);
}
