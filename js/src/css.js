// `_css`: one stylesheet per widget class, shared by its models and removed with the last one.
import { is_url } from "./load.js";

/**
 * Nodes oldest first: the last one is current; older ones are links still waiting for a newer
 * link to load (kept so the page never shows the widget unstyled).
 *
 * @typedef {{ users: number, value: string, nodes: (HTMLStyleElement | HTMLLinkElement)[] }} Sheet
 */

/** @type {Map<string, Sheet>} */
const sheets = new Map();

/** The id of the current `<style>`/`<link>` of a widget class (select it with `CSS.escape`). */
export function sheet_id(/** @type {string} */ key) {
	return `esmwidget-css-${key}`;
}

/**
 * A model of class `key` starts using `css`.
 *
 * @param {string} key
 * @param {string} css
 */
export function acquire(key, css) {
	let sheet = sheets.get(key);
	if (!sheet) {
		sheet = { users: 0, value: "", nodes: [] };
		sheets.set(key, sheet);
	}
	sheet.users += 1;
	apply(key, sheet, css);
}

/**
 * The `_css` of a model of class `key` changed.
 *
 * @param {string} key
 * @param {string} css
 */
export function update(key, css) {
	const sheet = sheets.get(key);
	if (sheet) apply(key, sheet, css);
}

/** A model of class `key` went away; the last one removes the stylesheet. */
export function release(/** @type {string} */ key) {
	const sheet = sheets.get(key);
	if (!sheet) return;
	sheet.users -= 1;
	if (sheet.users > 0) return;
	for (const node of sheet.nodes) node.remove();
	sheets.delete(key);
}

/**
 * @param {string} key
 * @param {Sheet} sheet
 * @param {string} css inline CSS, an http(s) URL, or empty for none
 */
function apply(key, sheet, css) {
	if (css === sheet.value) return;
	sheet.value = css;
	const current = sheet.nodes.at(-1);
	if (!css.trim()) {
		drop_before(sheet, sheet.nodes.length);
		return;
	}
	if (is_url(css)) {
		const link = document.createElement("link");
		link.rel = "stylesheet";
		link.href = css.trim();
		// Replace the old node only once the new sheet is in (or failed): no unstyled flash.
		const settle = () => {
			const index = sheet.nodes.indexOf(link);
			if (index > 0) drop_before(sheet, index);
		};
		link.addEventListener("load", settle, { once: true });
		link.addEventListener("error", settle, { once: true });
		add(key, sheet, link);
		return;
	}
	if (current instanceof HTMLStyleElement) {
		current.textContent = css;
		drop_before(sheet, sheet.nodes.length - 1);
		return;
	}
	const style = document.createElement("style");
	style.textContent = css;
	add(key, sheet, style);
	drop_before(sheet, sheet.nodes.length - 1);
}

/**
 * @param {string} key
 * @param {Sheet} sheet
 * @param {HTMLStyleElement | HTMLLinkElement} node
 */
function add(key, sheet, node) {
	const previous = sheet.nodes.at(-1);
	previous?.removeAttribute("id");
	node.id = sheet_id(key);
	node.dataset.esmwidgetCss = key;
	if (previous) previous.after(node);
	else document.head.append(node);
	sheet.nodes.push(node);
}

/**
 * Remove the nodes older than `index`.
 *
 * @param {Sheet} sheet
 * @param {number} index
 */
function drop_before(sheet, index) {
	for (const node of sheet.nodes.splice(0, index)) node.remove();
}
