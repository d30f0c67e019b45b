// Large binary values from the page travel in parts: Jupyter Server refuses a websocket message
// over 10 MiB (tornado's `websocket_max_message_size`) and drops the kernel connection, so one
// update carrying a 100 MiB buffer never reaches Python. docs/protocol.md, "Large binary values".
import { PART } from "./messages.js";

/** Updates whose buffers add up to more than this go in parts. */
export const PART_THRESHOLD = 8 * 1024 * 1024;
/** The size of one part: with its JSON, well under the server's 10 MiB. */
export const PART_BYTES = 8 * 1024 * 1024;
/** Buffers at least this big go in parts once an update does; smaller ones stay in it. */
const PART_MIN = 64 * 1024;

let uploads = 0;

/**
 * @typedef {{ content: { kind: string, upload: string, index: number, count: number }, buffer: Uint8Array }} Part
 */

/**
 * Split the big buffers of an update into parts.
 *
 * @param {string} model_id
 * @param {(ArrayBuffer | ArrayBufferView)[]} buffers the update's buffers, in `buffer_paths` order
 * @returns {{ parts: Part[], buffers: ArrayBufferView[], uploads: Record<string, string> } | null}
 * null when the update is small enough to go whole; else the custom messages to send first,
 * the update's buffers (each one sent in parts replaced by an empty one), and which buffer
 * index is which upload
 */
export function in_parts(model_id, buffers) {
	const sizes = buffers.map((buffer) => buffer.byteLength);
	if (sizes.reduce((a, b) => a + b, 0) <= PART_THRESHOLD) return null;
	/** @type {Part[]} */
	const parts = [];
	/** @type {Record<string, string>} */
	const named = {};
	const kept = buffers.map((buffer, index) => {
		const bytes = ArrayBuffer.isView(buffer)
			? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
			: new Uint8Array(buffer);
		// JupyterLab's websocket serializer sends the whole ArrayBuffer behind a view
		// (`buffer.buffer`), so every buffer here is one of its own: whole, or a copied part.
		if (bytes.byteLength < PART_MIN) return own_buffer(bytes);
		const upload = `${model_id}-${++uploads}`;
		const count = Math.max(1, Math.ceil(bytes.byteLength / PART_BYTES));
		for (let i = 0; i < count; i++) {
			parts.push({
				content: { kind: PART, upload, index: i, count },
				buffer: bytes.slice(i * PART_BYTES, (i + 1) * PART_BYTES),
			});
		}
		named[String(index)] = upload;
		return new Uint8Array(0);
	});
	return { parts, buffers: kept, uploads: named };
}

/**
 * `bytes`, or a copy of it when it is a view of part of a larger buffer.
 *
 * @param {Uint8Array} bytes
 */
function own_buffer(bytes) {
	return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}
