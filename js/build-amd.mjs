// Build dist/index.js: an AMD module for requirejs hosts (classic notebook, VS Code, Colab,
// html-manager and CDNs). esbuild has no AMD output, so a CommonJS bundle is wrapped in a
// `define` whose only dependency is the host's @jupyter-widgets/base.
import { readFile, stat } from "node:fs/promises";
import { build } from "esbuild";

const BASE = "@jupyter-widgets/base";
const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
const outfile = "dist/index.js";

await build({
	entryPoints: ["js/src/index.js"],
	outfile,
	bundle: true,
	format: "cjs",
	platform: "browser",
	target: "es2022",
	external: [BASE],
	legalComments: "none",
	banner: {
		js: [
			`// esmwidget ${pkg.version}: AMD bundle of the front-end loader. Built by js/build-amd.mjs.`,
			`define(["${BASE}"], function (base) {`,
			"var module = { exports: {} }, exports = module.exports;",
			`function require(name) { if (name === "${BASE}") return base; throw new Error("[esmwidget] unexpected require: " + name); }`,
		].join("\n"),
	},
	footer: { js: "return module.exports;\n});" },
});

const { size } = await stat(outfile);
console.log(`${outfile}: ${(size / 1024).toFixed(1)} KB`);
