// The JupyterLab 4 / Notebook 7 plugin: registers module "esmwidget" with the widget registry.
/** @import { IJupyterWidgetRegistry as Registry } from "@jupyter-widgets/base" */
import { IJupyterWidgetRegistry } from "@jupyter-widgets/base";
import { version } from "./version.js";
import { AnyModel, AnyView } from "./widget.js";

/**
 * The shape of a JupyterLab plugin, without depending on @jupyterlab/application for one type.
 *
 * @type {{ id: string, description: string, requires: unknown[], autoStart: boolean, activate(app: unknown, registry: Registry): void }}
 */
const plugin = {
	id: "esmwidget:plugin",
	description: "Jupyter widgets written as plain ES modules.",
	requires: [IJupyterWidgetRegistry],
	autoStart: true,
	activate(_app, registry) {
		registry.registerWidget({ name: "esmwidget", version, exports: { AnyModel, AnyView } });
	},
};

export default plugin;
