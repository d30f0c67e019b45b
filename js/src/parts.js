// Large binary values from the page travel in parts: Jupyter Server refuses a websocket message
// over 10 MiB (tornado's `websocket_max_message_size`) and drops the kernel connection, so one
// update carrying a 100 MiB buffer never reaches Python. docs/protocol.md, "Large binary values".
import { PART } from "./messages.js";
import { exact_buffers } from "./wire.js";

/** Updates whose buffers add up to more than this go in parts. */
export const PART_THRESHOLD = 8 * 1024 * 1024;
/** The size of one part: with its JSON, well under the server's 10 MiB. */
export const PART_BYTES = 8 * 1024 * 1024;
/** Buffers at least this big go in parts once an update does; smaller ones stay in it. */
const PART_MIN = 64 * 1024;

let uploads = 0;

/**
 * @typedef {{ content: { kind: string, upload: string, index: number, count: number }, buffer: ArrayBuffer }} Part
 */

/**
 * Split the big buffers of an update into parts.
 *
 * @param {string} model_id
 * @param {(ArrayBuffer | ArrayBufferView)[]} buffers the update's buffers, in `buffer_paths` order
 * @returns {{ parts: Part[], buffers: ArrayBuffer[], uploads: Record<string, string> } | null}
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
	// Each buffer sent is a whole ArrayBuffer: JupyterLab's serializer sends all of a view's.
	const kept = exact_buffers(buffers).map((buffer, index) => {
		if (buffer.byteLength < PART_MIN) return buffer;
		const upload = `${model_id}-${++uploads}`;
		const count = Math.ceil(buffer.byteLength / PART_BYTES);
		for (let i = 0; i < count; i++) {
			parts.push({
				content: { kind: PART, upload, index: i, count },
				buffer: buffer.slice(i * PART_BYTES, (i + 1) * PART_BYTES),
			});
		}
		named[String(index)] = upload;
		return new ArrayBuffer(0);
	});
	return { parts, buffers: kept, uploads: named };
}
