// The anywidget front-end module (AFM) forms a module may take, resolved to one definition.
/** @import { AnyWidget, WidgetDef } from "./types.js" */
import { WidgetError } from "./errors.js";

const EXPECTED = "Expected `export default { initialize, render }`, or a function returning that object.";

/** Widget ids already warned about the legacy form, so each class warns once per page. */
const warned = new Set();

/**
 * Pick the widget out of a module namespace: a default object, a default factory, or the legacy
 * named `render` (plus named `initialize`) with one deprecation warning.
 *
 * @param {Record<string, unknown>} namespace
 * @param {string} id
 * @returns {AnyWidget}
 */
export function entry_of(namespace, id) {
	if (namespace.default !== undefined) {
		const entry = namespace.default;
		if (typeof entry === "function") return /** @type {AnyWidget} */ (entry);
		return checked(entry, id);
	}
	const { render, initialize } = namespace;
	if (typeof render === "function" || typeof initialize === "function") {
		if (!warned.has(id)) {
			warned.add(id);
			console.warn(
				`[esmwidget] ${id}: named \`render\`/\`initialize\` exports are deprecated. Use \`export default { initialize, render }\`.`,
			);
		}
		return checked({ initialize, render }, id);
	}
	throw new WidgetError(id, "module", `module has no default export. ${EXPECTED}`);
}

/**
 * The definition for one model: the entry itself, or what its factory returns (called once per
 * model per module generation).
 *
 * @param {AnyWidget} entry
 * @param {string} id
 * @returns {Promise<WidgetDef>}
 */
export async function instantiate(entry, id) {
	return typeof entry === "function" ? checked(await entry(), id) : entry;
}

/**
 * @param {unknown} value
 * @param {string} id
 * @returns {WidgetDef}
 */
function checked(value, id) {
	if (typeof value === "object" && value !== null) {
		const { initialize, render } = /** @type {Record<string, unknown>} */ (value);
		if (
			(initialize === undefined || typeof initialize === "function") &&
			(render === undefined || typeof render === "function")
		) {
			return /** @type {WidgetDef} */ (value);
		}
	}
	const got = value === null ? "null" : typeof value;
	throw new WidgetError(id, "module", `the default export is not a widget (got ${got}). ${EXPECTED}`);
}
