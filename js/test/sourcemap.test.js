// An error in a bundled module is placed in the original source, by the source map the bundler
// wrote beside the module (or inline).
import { expect, test, vi } from "vitest";
import { lookup } from "../src/sourcemap.js";
import { display, open_widget, per_test, serve_files, until } from "./harness.js";

const t = per_test();
// Written in two parts: the test runner would read the pragma in this file as its own.
const MAP_PRAGMA = `//# source${"MappingURL"}=widget.js.map`;

// Generated line 3, from column 0, is the original `js/widget.ts` line 12, column 5.
const MAP = { version: 3, sources: ["../js/widget.ts"], mappings: ";;AAWI" };

test("the lookup decodes the mappings and finds the segment at or before the column", () => {
	expect(lookup(MAP, 3, 20)).toEqual({ file: "js/widget.ts", line: 12, column: 5 });
	expect(lookup(MAP, 2, 1)).toBeNull();
});

test("a render error in a bundle is shown at the original file and line", async () => {
	vi.spyOn(console, "error").mockImplementation(() => {});
	const bundle = `// ${crypto.randomUUID()}
export default {
  render() { throw new Error("from the original"); },
};
${MAP_PRAGMA}

//# sourceURL=esmwidget:///static/widget.js
`;
	const { model, comm } = await open_widget(t.manager, { _esm: bundle, _anywidget_id: `maps.${crypto.randomUUID()}` });
	const served = serve_files(comm, {
		"widget.js.map": ["application/json", new TextEncoder().encode(JSON.stringify(MAP))],
	});
	const view = await display(t.manager, model);
	await until(() => expect(view.el.querySelector(".esmwidget-error")).not.toBeNull());
	expect(view.el.querySelector(".esmwidget-error-location")?.textContent).toBe("line 12, column 5 of js/widget.ts");
	expect(served).toEqual(["widget.js.map"]); // the map, asked for as any file beside the module
});
