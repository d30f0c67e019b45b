// Entry of the page runtime bundle (src/esmwidget/_static/page.js): inlined as a module script
// into exported pages, it runs once the document is parsed.
import { start } from "./index.js";

start(document);
