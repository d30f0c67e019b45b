// `host` for `render` (anywidget 0.11): other widgets by reference, as models or drawn into an
// element. An esmwidget child renders through its own Runtime; any other widget through the
// page's widget manager.
/** @import { WidgetModel } from "@jupyter-widgets/base" */
/** @import { ChildWidget, Host } from "./types.js" */
/** @import { Runtime } from "./runtime.js" */
import { ANYWIDGET_REF, IPY_MODEL } from "./messages.js";
import { model_proxy } from "./model.js";

/**
 * @param {WidgetModel} model the model whose view asks
 * @param {string} id its widget class id, for messages
 * @param {AbortSignal} signal the lifetime of what `host` gives out
 * @param {(model: WidgetModel) => Runtime | undefined} runtime_of the Runtime of an esmwidget model
 * @returns {Host}
 */
export function make_host(model, id, signal, runtime_of) {
	return {
		getModel: async (ref) => /** @type {any} */ (model_proxy(await resolve(model, ref), signal)),
		getWidget: async (ref) => {
			const target = await resolve(model, ref);
			const child = runtime_of(target);
			if (!child) return foreign_widget(target, ref, id, signal);
			child.activate();
			await child.tasks;
			/** @type {ChildWidget} */
			const widget = {
				exports: child.generation?.exports,
				render: async ({ el, signal: own }) => {
					const lifetime = own ? AbortSignal.any([signal, own]) : signal;
					if (lifetime.aborted) return;
					const mount = child.mount(el);
					lifetime.addEventListener("abort", () => child.unmount(mount), { once: true });
					await mount.rendered;
				},
			};
			return widget;
		},
	};
}

/**
 * A child that is not an esmwidget widget (an ipywidgets slider, another library's widget):
 * the page's widget manager makes its view, as a container of that library would.
 *
 * @param {WidgetModel} model
 * @param {string} ref
 * @param {string} id
 * @param {AbortSignal} signal
 * @returns {ChildWidget}
 */
function foreign_widget(model, ref, id, signal) {
	const manager = model.widget_manager;
	if (typeof manager?.create_view !== "function") {
		const name = `${model.get("_model_module")}.${model.get("_model_name")}`;
		throw new Error(
			`[esmwidget] ${id}: host.getWidget(${JSON.stringify(ref)}) is a ${name} widget, and this page has no widget manager that can draw it.`,
		);
	}
	return {
		exports: undefined,
		render: async ({ el, signal: own }) => {
			const lifetime = own ? AbortSignal.any([signal, own]) : signal;
			if (lifetime.aborted) return;
			const view = await manager.create_view(model, {});
			if (lifetime.aborted) {
				view.remove();
				return;
			}
			el.append(view.el);
			// What an output area does once a view is in the page: views finish their layout on it.
			view.trigger("displayed");
			lifetime.addEventListener("abort", () => view.remove(), { once: true });
		},
	};
}

/**
 * @param {WidgetModel} model any model of the page, whose manager looks the reference up
 * @param {string} ref `IPY_MODEL_<id>`, `anywidget:<id>` or a bare model id
 * @returns {Promise<WidgetModel>}
 */
function resolve(model, ref) {
	let id = ref;
	if (ref.startsWith(IPY_MODEL)) id = ref.slice(IPY_MODEL.length);
	else if (ref.startsWith(ANYWIDGET_REF)) id = ref.slice(ANYWIDGET_REF.length);
	return model.widget_manager.get_model(id);
}
