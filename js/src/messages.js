/** @import { CommandRequest, OwnMessage } from "./types.js" */
// The wire constants the loader shares with the kernel (src/esmwidget/_wire/protocol.py);
// tests/unit/test_wire.py checks that both sides agree.

/** A reference to another widget in state, and the form anywidget 0.11 wrote. */
export const IPY_MODEL = "IPY_MODEL_";
export const ANYWIDGET_REF = "anywidget:";

/** Custom-message `kind`s that belong to the loader, not to the widget's module. */
export const COMMAND = "anywidget-command";
export const COMMAND_RESPONSE = "anywidget-command-response";
export const HMR_ERROR = "esmwidget-hmr-error";
export const HMR_OK = "esmwidget-hmr-ok";
export const PYTHON_ERROR = "esmwidget-python-error";
/** Python refused keys of an update from the page, and says why. */
export const REFUSED = "esmwidget-refused";
/** One part of a large binary value, page to kernel (parts.js). */
export const PART = "esmwidget-part";
/** The page asks for one of the widget's own files, and the kernel answers (files.js). */
export const FILE = "esmwidget-file";
export const FILE_RESPONSE = "esmwidget-file-response";
/** Hot reload: files the page loaded were saved, deleted or are back (files.js). */
export const FILES_CHANGED = "esmwidget-files-changed";
/** The update key naming which of its buffers came in parts. */
export const PARTS_KEY = "esmwidget_parts";

/**
 * Recognise a custom message meant for the loader.
 *
 * @param {unknown} content the `content` of a `{method: "custom"}` message
 * @returns {OwnMessage | null} the message, or null when it belongs to the module
 */
export function own_message(content) {
	if (typeof content !== "object" || content === null || !("kind" in content)) {
		return null;
	}
	const kind = content.kind;
	if (
		kind === COMMAND_RESPONSE ||
		kind === FILE_RESPONSE ||
		kind === FILES_CHANGED ||
		kind === HMR_ERROR ||
		kind === HMR_OK ||
		kind === PYTHON_ERROR ||
		kind === REFUSED
	) {
		return /** @type {OwnMessage} */ (content);
	}
	return null;
}

/**
 * @param {string} id
 * @param {string} name
 * @param {unknown} msg
 * @returns {CommandRequest}
 */
export function command_request(id, name, msg) {
	return { id, kind: COMMAND, name, msg };
}
