// What Python prints (or the traceback it raises) while it handles a message from this page: an
// observer of a value the page set, an `on_msg` callback, a command. The kernel sends that output
// as the reply to the page's message, which a notebook shows nowhere near the widget (JupyterLab
// puts it in its Log Console). Here it goes below the widget's latest view, in the output area of
// the cell that displayed it (docs/front-end.md, "Output of Python callbacks").
/** @import { WidgetModel } from "@jupyter-widgets/base" */

/** The views of each model, oldest first: output goes below the newest still in the page. */
/** @type {WeakMap<WidgetModel, HTMLElement[]>} */
const shown = new WeakMap();
/** How many output blocks one box keeps: the oldest go first. */
const KEPT = 200;
/** Terminal colour codes in a Python traceback. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, "g");

/**
 * A view of `model` is in the page at `el`.
 *
 * @param {WidgetModel} model
 * @param {HTMLElement} el
 */
export function view_shown(model, el) {
	const list = shown.get(model) ?? [];
	list.push(el);
	shown.set(model, list);
}

/**
 * That view was removed.
 *
 * @param {WidgetModel} model
 * @param {HTMLElement} el
 */
export function view_removed(model, el) {
	const list = shown.get(model);
	if (list)
		shown.set(
			model,
			list.filter((other) => other !== el),
		);
	box_after(el, false)?.remove();
}

/**
 * Callbacks for a message to the kernel whose output goes below the widget; where no view of the
 * widget is in the page, to `fallback` (the page's own place for such output).
 *
 * @param {WidgetModel} model
 * @param {any} callbacks the widget manager's callbacks
 * @returns {any}
 */
export function with_output_below(model, callbacks) {
	const fallback = callbacks?.iopub?.output;
	return {
		...callbacks,
		iopub: {
			...callbacks?.iopub,
			output: (/** @type {any} */ msg) => {
				if (!show_output(model, msg)) fallback?.(msg);
			},
			clear_output: () => {
				const el = newest(model);
				if (el) box_after(el, false)?.replaceChildren();
			},
		},
	};
}

/**
 * Show one output message (stream, error, display_data, execute_result) below the newest view.
 *
 * @param {WidgetModel} model
 * @param {any} msg
 * @returns {boolean} whether a view was there to show it under
 */
export function show_output(model, msg) {
	const el = newest(model);
	const box = el && box_after(el, true);
	if (!box) return false;
	const type = msg?.header?.msg_type;
	const content = msg?.content ?? {};
	if (type === "stream") {
		const name = content.name === "stderr" ? "stderr" : "stdout";
		const last = box.lastElementChild;
		if (last instanceof HTMLPreElement && last.dataset.stream === name) last.textContent += String(content.text ?? "");
		else add(box, String(content.text ?? ""), name);
	} else if (type === "error") {
		const lines = Array.isArray(content.traceback) ? content.traceback : [`${content.ename}: ${content.evalue}`];
		add(box, lines.join("\n").replace(ANSI, ""), "error");
	} else if (type === "display_data" || type === "execute_result") {
		add(box, String(content.data?.["text/plain"] ?? ""), "stdout");
	} else {
		return true;
	}
	while (box.childElementCount > KEPT) box.firstElementChild?.remove();
	return true;
}

/** @param {WidgetModel} model */
function newest(model) {
	const list = (shown.get(model) ?? []).filter((el) => el.isConnected);
	return list[list.length - 1] ?? null;
}

/**
 * The output box right after a view's element (made when `make`).
 *
 * @param {HTMLElement} el
 * @param {boolean} make
 * @returns {HTMLElement | null}
 */
function box_after(el, make) {
	const next = el.nextElementSibling;
	if (next instanceof HTMLElement && next.classList.contains("esmwidget-callback-output")) return next;
	if (!make || !el.parentElement) return null;
	const box = el.ownerDocument.createElement("div");
	box.className = "esmwidget-callback-output";
	box.setAttribute("role", "log");
	box.setAttribute("style", "font-family: var(--jp-code-font-family, monospace); font-size: 12px;");
	el.after(box);
	return box;
}

/**
 * @param {HTMLElement} box
 * @param {string} text
 * @param {"stdout" | "stderr" | "error"} kind
 */
function add(box, text, kind) {
	const pre = box.ownerDocument.createElement("pre");
	pre.dataset.stream = kind;
	pre.className = `esmwidget-callback-${kind}`;
	const tint = kind === "stdout" ? "" : "background: var(--jp-rendermime-error-background, #fdd);";
	pre.setAttribute("style", `margin: 4px 0; white-space: pre-wrap; ${tint}`);
	pre.textContent = text;
	box.append(pre);
}
