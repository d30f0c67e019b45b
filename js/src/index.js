// Entry of the AMD bundle `dist/index.js` (classic notebook, VS Code, html-manager, CDNs).
export { version } from "./version.js";
export { AnyModel, AnyView } from "./widget.js";
