// Types of the npm package's entry, the AMD bundle `dist/index.js` (package.json "main"), and the
// author-facing API a widget module is written against.
import type { DOMWidgetModel, DOMWidgetView } from "@jupyter-widgets/base";

/** The npm version of the loader; hosts register the classes under module "esmwidget" at it. */
export declare const version: string;

/** The widget model a kernel's `_model_name: "AnyModel"` names: it runs the widget's `_esm`. */
export declare class AnyModel extends DOMWidgetModel {}

/** The view a kernel's `_view_name: "AnyView"` names: it renders the module into its `el`. */
export declare class AnyView extends DOMWidgetView {}

export type {
	AnyModel as ModelProxy,
	AnyWidget,
	BufferLike,
	ChildWidget,
	Cleanup,
	Experimental,
	Host,
	Initialize,
	InitializeProps,
	Invoke,
	InvokeOptions,
	ModelState,
	Render,
	RenderProps,
	WidgetDef,
} from "./types.js";
