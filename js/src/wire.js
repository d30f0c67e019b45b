// State values on their way to the kernel.

/**
 * A copy of `value` for `save_changes`: `structuredClone` keeps ArrayBuffers, typed arrays and
 * DataViews, which the base class's JSON copy destroys. Values it cannot clone (functions,
 * models) fall back to the JSON copy, which turns models into `IPY_MODEL_` references.
 *
 * @param {unknown} value
 * @returns {unknown}
 */
export function to_wire(value) {
	let copy;
	try {
		copy = exact(structuredClone(value));
	} catch {
		return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
	}
	if (has_to_json(copy)) return copy.toJSON();
	return copy;
}

/**
 * Buffers for `send` and `invoke`, each exactly the bytes it views: JupyterLab's message
 * serializer, like `remove_buffers`, writes the whole ArrayBuffer behind a view.
 *
 * @param {readonly (ArrayBuffer | ArrayBufferView)[]} buffers
 * @returns {ArrayBuffer[]}
 */
export function exact_buffers(buffers) {
	return buffers.map((buffer) => {
		if (!ArrayBuffer.isView(buffer)) return buffer;
		const whole = buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength;
		return /** @type {ArrayBuffer} */ (
			whole ? buffer.buffer : buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength)
		);
	});
}

/**
 * `remove_buffers` sends the whole ArrayBuffer behind a view (docs/protocol.md, "Binary buffers"), so a view
 * of part of a buffer is replaced by an exact-size copy, in nested arrays and plain objects too.
 *
 * @param {unknown} value
 * @returns {unknown}
 */
function exact(value) {
	if (ArrayBuffer.isView(value)) {
		if (value.byteOffset === 0 && value.byteLength === value.buffer.byteLength) return value;
		const bytes = value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
		if (value instanceof DataView) return new DataView(bytes);
		const View = /** @type {new (buffer: ArrayBufferLike) => ArrayBufferView} */ (value.constructor);
		return new View(bytes);
	}
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) value[i] = exact(value[i]);
	} else if (is_plain(value)) {
		for (const key of Object.keys(value)) value[key] = exact(value[key]);
	}
	return value;
}

/**
 * The bytes a binary value (ArrayBuffer, typed array, DataView) views, or null for any other.
 *
 * @param {unknown} value
 * @returns {Uint8Array | null}
 */
export function bytes_of(value) {
	if (value instanceof ArrayBuffer) return new Uint8Array(value);
	if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
	return null;
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function is_plain(value) {
	return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * @param {unknown} value
 * @returns {value is { toJSON(): unknown }}
 */
function has_to_json(value) {
	return (
		typeof value === "object" &&
		value !== null &&
		!ArrayBuffer.isView(value) &&
		typeof (/** @type {{ toJSON?: unknown }} */ (value).toJSON) === "function"
	);
}
