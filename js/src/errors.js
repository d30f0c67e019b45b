// Errors the user sees: one readable box drawn into the widget's `el` (docs/front-end.md, "When something fails").

/** Where a failure happened; shown in the box and used to find its line and column. */
/** @typedef {"load" | "module" | "initialize" | "render" | "hmr" | "python" | "sync"} Phase */

/** The sourceURL the kernel gives a module or chunk read from a file: `esmwidget:///folder/file`. */
export const FILE_NAMED = /^esmwidget:\/\/\/[^/]+\/[^/]+$/;

/** The box title of each phase. */
export const TITLES = {
	load: "could not load _esm",
	module: "invalid module",
	initialize: "initialize() failed",
	render: "render() failed",
	hmr: "hot reload failed",
	python: "a Python message handler failed",
	sync: "Python did not take a value from the page",
};

/** An error tied to one widget class, with the position in its module when known. */
export class WidgetError extends Error {
	/**
	 * @param {string} id the widget's `_anywidget_id`
	 * @param {Phase} phase
	 * @param {string} message
	 * @param {{ cause?: unknown, line?: number, column?: number, file?: string, detail?: string }} [extra]
	 */
	constructor(id, phase, message, extra = {}) {
		super(`[esmwidget] ${id}: ${message}`, { cause: extra.cause });
		this.name = "WidgetError";
		this.id = id;
		this.phase = phase;
		/** @type {number | undefined} */
		this.line = extra.line;
		/** @type {number | undefined} */
		this.column = extra.column;
		/** The file the position is in, when it is not the module itself (an embedded chunk). */
		this.file = extra.file;
		/** Text for the box: the original error's `Name: message`, or a hint. */
		this.detail = extra.detail ?? "";
	}

	/**
	 * `line L, column C`, and where when the module was named after it (src/esmwidget/_widgets/origin.py):
	 * `of static/widget.js` for a file, `of the cell` or `of widgets.py` for an inline module, whose
	 * lines are then counted as the cell or file counts them. Empty when the position is unknown.
	 */
	get location() {
		if (this.line === undefined) return "";
		const name = this.file?.replace(/^esmwidget:\/\/\//, "");
		const inline = name ? /^([^/]+)\/[^/]+#L(\d+)$/.exec(name) : null;
		const line = inline ? this.line + Number(inline[2]) - 1 : this.line;
		const where = this.column === undefined ? `line ${line}` : `line ${line}, column ${this.column}`;
		if (inline) return `${where} of ${inline[1] === "cell" ? "the cell" : inline[1]}`;
		return name ? `${where} of ${name}` : where;
	}
}

/**
 * Wrap what a module threw (or an import rejection) for display.
 *
 * @param {unknown} error
 * @param {string} id
 * @param {Phase} phase
 * @param {string | null} module_url the URL or sourceURL of the module, to find positions in stacks
 * @param {{ line: number, column: number, file?: string } | null} [position] a position found by other means
 * @returns {WidgetError}
 */
export function widget_error(error, id, phase, module_url, position = null) {
	if (error instanceof WidgetError) return error;
	const where = position ?? (module_url ? position_in_stack(error, module_url) : null);
	// A file-backed module is named after its file (src/esmwidget/_widgets/origin.py): say which
	// file the line is in.
	const own_file = module_url && FILE_NAMED.test(module_url) ? module_url : undefined;
	return new WidgetError(id, phase, TITLES[phase], {
		cause: error,
		detail: describe(error),
		line: where?.line,
		column: where?.column,
		file: position?.file ?? own_file,
	});
}

/**
 * The first `url:line:column` of `url` in an error's stack (Chromium and Firefox formats).
 *
 * @param {unknown} error
 * @param {string} url
 * @returns {{ line: number, column: number } | null}
 */
export function position_in_stack(error, url) {
	const stack = error instanceof Error ? (error.stack ?? "") : "";
	const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
	const match = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(stack);
	return match ? { line: Number(match[1]), column: Number(match[2]) } : null;
}

/** @param {unknown} error */
function describe(error) {
	if (error instanceof Error) return `${error.name}: ${error.message}`;
	try {
		return `thrown value: ${JSON.stringify(error)}`;
	} catch {
		return `thrown value: ${String(error)}`;
	}
}

const BOX_STYLE = [
	"box-sizing: border-box",
	"margin: 4px 0",
	"padding: 8px 12px",
	"border-left: 4px solid var(--jp-error-color1, #d32f2f)",
	"background: var(--jp-rendermime-error-background, #fdd)",
	"color: var(--jp-ui-font-color1, #000)",
	"font-family: var(--jp-code-font-family, monospace)",
	"font-size: var(--jp-code-font-size, 13px)",
	"white-space: pre-wrap",
].join(";");

/**
 * Draw `error` into `el`: replace its content, or put the box first (an HMR error keeps the
 * widget usable underneath).
 *
 * @param {HTMLElement} el
 * @param {WidgetError} error
 * @param {{ keep_content?: boolean, dismissible?: boolean }} [options] `dismissible` adds a
 *   button that removes the box (a note about a mistake that does not stop the widget)
 * @returns {HTMLElement} the box
 */
export function show_error(el, error, options = {}) {
	const box = document.createElement("div");
	box.className = "esmwidget-error";
	box.setAttribute("role", "alert");
	box.dataset.widgetId = error.id;
	box.dataset.phase = error.phase;
	box.setAttribute("style", BOX_STYLE);
	const title = document.createElement("strong");
	title.className = "esmwidget-error-title";
	title.textContent = error.message;
	box.append(title);
	for (const [name, text] of [
		["message", error.detail],
		["location", error.location],
	]) {
		if (!text) continue;
		const line = document.createElement("div");
		line.className = `esmwidget-error-${name}`;
		line.textContent = text;
		box.append(line);
	}
	if (options.dismissible) {
		const close = document.createElement("button");
		close.className = "esmwidget-error-dismiss";
		close.type = "button";
		close.textContent = "Dismiss";
		close.setAttribute("style", "display: block; margin-top: 4px; font: inherit; cursor: pointer");
		close.addEventListener("click", () => box.remove(), { once: true });
		box.append(close);
	}
	if (options.keep_content) {
		remove_errors(el, error.phase);
		el.prepend(box);
	} else {
		el.replaceChildren(box);
	}
	return box;
}

/**
 * @param {HTMLElement} el
 * @param {Phase} phase
 */
export function remove_errors(el, phase) {
	for (const box of el.querySelectorAll(`:scope > .esmwidget-error[data-phase="${phase}"]`)) {
		box.remove();
	}
}
