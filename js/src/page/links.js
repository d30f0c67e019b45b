// ipywidgets' `jslink`/`jsdlink` models (@jupyter-widgets/controls LinkModel and
// DirectionalLinkModel) between models of a page with no kernel: a change to one end is set on
// the other, as the browser does with a kernel.
/** @import { StaticManager, StaticModel } from "./model.js" */
import { IPY_MODEL } from "../messages.js";

const LINKS = new Map([
	["LinkModel", true],
	["DirectionalLinkModel", false],
]);
const CONTROLS = "@jupyter-widgets/controls";

/**
 * Connect every link model of `manager` whose ends are models of the page.
 *
 * @param {StaticManager} manager
 */
export function link_models(manager) {
	for (const link of manager.models.values()) {
		const both_ways = LINKS.get(link.model_name);
		if (both_ways === undefined || link.model_module !== CONTROLS) continue;
		const source = end_of(manager, link.get("source"));
		const target = end_of(manager, link.get("target"));
		if (!source || !target) {
			console.warn(`[esmwidget] link ${link.model_id}: an end is not in this page's widget state.`);
			continue;
		}
		follow(source, target);
		if (both_ways) follow(target, source);
		target.model.set(target.key, source.model.get(source.key));
	}
}

/**
 * @param {{ model: StaticModel, key: string }} from
 * @param {{ model: StaticModel, key: string }} to
 */
function follow(from, to) {
	from.model.on(`change:${from.key}`, (/** @type {unknown} */ _model, /** @type {unknown} */ value) => {
		to.model.set(to.key, value);
	});
}

/**
 * @param {StaticManager} manager
 * @param {unknown} end `["IPY_MODEL_<id>", "<key>"]`
 * @returns {{ model: StaticModel, key: string } | null}
 */
function end_of(manager, end) {
	if (!Array.isArray(end) || end.length !== 2) return null;
	const [ref, key] = end;
	if (typeof ref !== "string" || typeof key !== "string" || !ref.startsWith(IPY_MODEL)) return null;
	const model = manager.models.get(ref.slice(IPY_MODEL.length));
	return model ? { model, key } : null;
}
