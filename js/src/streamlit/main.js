// Entry of the Streamlit component bundle (src/esmwidget/_static/streamlit.js), the module that
// `esmwidget.streamlit` registers with `st.components.v2.component`. Streamlit calls its default
// export at every run with that run's data, on the same element while the component stays
// mounted, and calls the last cleanup it returned when the component goes away.
import { runtime_of } from "../runtime.js";
import { Link, PROTOCOL } from "./link.js";

/** @import { RunData, WriteState } from "./link.js" */
/** @import { WidgetModel } from "@jupyter-widgets/base" */

/** The page's components by key: their models outlive a remount. @type {Map<string, Link>} */
const links = new Map();

/** The view drawn into each mounted component's element. */
/** @type {WeakMap<Element | ShadowRoot, () => void>} */
const views = new WeakMap();

/**
 * @param {{ data: RunData, parentElement: HTMLElement | ShadowRoot, setStateValue: WriteState }} component
 * @returns {() => void} the cleanup of this element's view
 */
export default function esmwidget_component(component) {
	const { data, parentElement, setStateValue } = component;
	if (data?.protocol !== PROTOCOL) {
		throw new Error(
			`[esmwidget] this page's loader speaks protocol ${PROTOCOL}, Python sent ${data?.protocol}: reload the page after upgrading esmwidget.`,
		);
	}
	let link = links.get(data.key);
	if (!link) {
		link = new Link(data.key);
		links.set(data.key, link);
	}
	link.write = setStateValue;
	link.apply(data);
	const existing = views.get(parentElement);
	if (existing) return existing;
	const root = /** @type {WidgetModel} */ (/** @type {unknown} */ (link.root));
	const runtime = root && runtime_of(root);
	if (!runtime) throw new Error(`[esmwidget] ${data.key}: the shown widget is not an esmwidget or anywidget model.`);
	const el = document.createElement("div");
	el.className = "esmwidget-view";
	parentElement.append(el);
	const mount = runtime.mount(el);
	const cleanup = () => {
		views.delete(parentElement);
		runtime.unmount(mount);
		el.remove();
	};
	views.set(parentElement, cleanup);
	// Messages the page wrote while unmounted (a cleanup's last save) go with this mount.
	link.flush();
	return cleanup;
}
