// Import a widget's ES module: an http(s) URL directly, inline source through a Blob URL.
// A module or chunk read from a file is named `esmwidget:///folder/file` (errors.js FILE_NAMED).
import { FILE_NAMED } from "./errors.js";

/** A single-line http(s) URL; anything else is module source (the kernel's rule too). */
export const URL_PATTERN = /^https?:\/\/\S+$/i;
const SOURCE_URL = /\/\/[#@]\s*sourceURL=(\S+)/;

/** @param {string} value */
export function is_url(value) {
	return URL_PATTERN.test(value.trim());
}

/**
 * The name stack traces and devtools show for an inline module: its own `//# sourceURL`
 * pragma, or `esmwidget:///<id>.js`.
 *
 * @param {string} source
 * @param {string} id
 */
export function source_url(source, id) {
	const declared = SOURCE_URL.exec(source);
	if (declared) return declared[1];
	return `esmwidget:///${id.replace(/[^\w.-]+/g, "_")}.js`;
}

/**
 * @typedef {{ namespace: Record<string, unknown>, url: string }} Loaded
 * @typedef {object} Text one inline module text in use
 * @property {Promise<string>} blob the Blob URL holding the text (its references to the widget's
 * own files resolved first, files.js), made once and revoked after its last user
 * @property {Promise<Loaded>} first the first model's import
 * @property {number} imports how many models imported it so far
 * @property {number} users how many models hold it now
 */

/**
 * Inline module texts in use, by sourceURL and text. Each model imports the module itself, as
 * anywidget does, so top-level variables belong to one widget: every model after the first
 * imports the text's one Blob URL with its own fragment (`blob:…#2`), a distinct module for the
 * browser, and no new Blob. A module that exports `shareModule = true` is imported once, and its
 * models share that instance (docs/front-end.md, "One module, many widgets"). An entry goes
 * when its last user releases it, or at once when the first import failed, so that a retry
 * imports again.
 *
 * @type {Map<string, Text>}
 */
const texts = new Map();

/**
 * Import `_esm`. A failure is rethrown with the module's line and column attached as
 * `position` when they can be found.
 *
 * Call `release` when the model no longer needs the module (its generation retired or the
 * model closed), also after a failure.
 *
 * @param {string} esm inline source or an http(s) URL
 * @param {string} id the widget class id, used to name inline modules
 * @param {(text: string) => Promise<string>} [files] resolves the text's references to the
 * widget's own files before it is imported (files.js)
 * @param {number} [files_version] which version of those files (hot reload): a text resolved
 * with other files is another module
 * @returns {{ loaded: Promise<Loaded>, release: () => void }}
 */
export function import_esm(esm, id, files, files_version = 0) {
	if (is_url(esm)) return { loaded: import_url(esm.trim()), release: () => {} };
	const name = source_url(esm, id);
	const key = `${name}\n${files_version}\n${esm}`;
	let text = texts.get(key);
	/** @type {Promise<Loaded>} */
	let loaded;
	if (text) {
		const { blob } = text;
		const n = ++text.imports;
		// Models that came while the first import ran share its failure; a later one retries.
		loaded = text.first.then(async (first) =>
			first.namespace.shareModule === true ? first : import_source(`${await blob}#${n}`, esm, name),
		);
	} else {
		const source = with_source_url(esm, name);
		const blob = (files ? files(source).catch(() => source) : Promise.resolve(source)).then(blob_url);
		const created = { blob, first: blob.then((url) => import_source(url, esm, name)), imports: 1, users: 0 };
		created.first.catch(() => forget(key, created));
		texts.set(key, created);
		text = created;
		loaded = created.first;
	}
	text.users += 1;
	const used = text;
	let released = false;
	return {
		loaded,
		release: () => {
			if (released) return;
			released = true;
			used.users -= 1;
			if (used.users === 0) forget(key, used);
		},
	};
}

/**
 * @param {string} key
 * @param {Text} text
 */
function forget(key, text) {
	if (texts.get(key) !== text) return;
	texts.delete(key);
	// Imports already started have read the Blob; later ones make a new entry.
	text.blob.then((url) => URL.revokeObjectURL(url));
}

/** How many inline module texts are imported or being imported (for tests). */
export function shared_modules() {
	return texts.size;
}

/**
 * @param {string} url
 * @returns {Promise<Loaded>}
 */
async function import_url(url) {
	try {
		return { namespace: await import(/* webpackIgnore: true */ /* @vite-ignore */ url), url };
	} catch (error) {
		throw await with_position(error, url, url);
	}
}

/**
 * The text to import: a trailing sourceURL pragma names it in stack traces and devtools, without
 * shifting line numbers (a newline first ends any `//` comment).
 *
 * @param {string} esm
 * @param {string} name
 */
function with_source_url(esm, name) {
	return SOURCE_URL.test(esm) ? esm : `${esm}\n//# sourceURL=${name}\n`;
}

/**
 * @param {string} url a Blob URL of the text, perhaps with a fragment
 * @param {string} esm
 * @param {string} name its sourceURL
 * @returns {Promise<Loaded>}
 */
async function import_source(url, esm, name) {
	try {
		return {
			namespace: await import(/* webpackIgnore: true */ /* @vite-ignore */ url),
			url: name,
		};
	} catch (error) {
		throw await with_position(error, blob_url(with_source_url(esm, name)), name, esm);
	}
}

/** An import failure, with the position of a syntax error when one was found. */
export class ImportFailure extends Error {
	/**
	 * @param {unknown} cause
	 * @param {string} url the module's URL or sourceURL
	 * @param {{ line: number, column: number, file?: string } | null} position
	 */
	constructor(cause, url, position) {
		super(cause instanceof Error ? cause.message : String(cause), { cause });
		this.name = "ImportFailure";
		this.url = url;
		this.position = position;
	}
}

/** @param {string} text */
function blob_url(text) {
	return URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
}

/**
 * @param {unknown} error
 * @param {string} probe_url a URL that serves the same module text, revoked here when a blob
 * @param {string} name
 * @param {string} [esm] the module text: a position past its end (an unclosed brace, reported
 * where the input ends, after the sourceURL pragma) is given as its last line
 */
async function with_position(error, probe_url, name, esm) {
	/** @type {{ line: number, column: number, file?: string } | null} */
	let position = null;
	if (error instanceof SyntaxError) {
		position = firefox_position(error) ?? (has_frames(error) ? null : await probe(probe_url, name));
	}
	if (probe_url.startsWith("blob:")) URL.revokeObjectURL(probe_url);
	if (position && !position.file && esm !== undefined) {
		const lines = esm
			.replace(/\n\/\/[#@]\s*sourceURL=\S+\s*$/, "")
			.replace(/\n+$/, "")
			.split("\n");
		if (position.line > lines.length) {
			position = { line: lines.length, column: lines[lines.length - 1].length + 1 };
		}
	}
	return new ImportFailure(error, name, position);
}

/** @param {Error} error */
function has_frames(error) {
	// A parse or link error has no frames. A SyntaxError thrown while the module ran (for
	// example by JSON.parse) has them, and must not be probed: probing would run it again.
	return /\n\s+at |\n[^\n]*@\S+:\d+:\d+/.test(error.stack ?? "");
}

/** @param {Error & { lineNumber?: number, columnNumber?: number }} error */
function firefox_position(error) {
	if (typeof error.lineNumber !== "number") return null;
	return { line: error.lineNumber, column: (error.columnNumber ?? 0) + 1 };
}

/**
 * Chromium's `import()` rejects a syntax error without a position. A `<script type="module">`
 * loading the same text reports it to the window `error` event with `lineno`/`colno`. The
 * module already failed to parse or link, so nothing runs.
 *
 * @param {string} url
 * @param {string} name the module's sourceURL: a module that parsed but failed to link reports under it
 * @returns {Promise<{ line: number, column: number, file?: string } | null>}
 */
function probe(url, name) {
	return new Promise((resolve) => {
		/** @type {{ line: number, column: number, file?: string } | null} */
		let found = null;
		const script = document.createElement("script");
		/** @param {ErrorEvent} event */
		const on_error = (event) => {
			const own = event.filename === url || event.filename === name;
			// A chunk embedded by the kernel (a relative import of a file-backed _esm) reports
			// under its own sourceURL.
			const chunk = FILE_NAMED.test(event.filename);
			if (!own && !chunk) return;
			found = { line: event.lineno, column: event.colno, ...(own ? {} : { file: event.filename }) };
			// Already reported by the error box: keep it from global handlers.
			event.preventDefault();
			event.stopImmediatePropagation();
		};
		const done = () => {
			clearTimeout(timer);
			window.removeEventListener("error", on_error, true);
			script.remove();
			resolve(found);
		};
		// Only a diagnostic: give up on the position if the browser reports nothing.
		const timer = setTimeout(done, 3000);
		window.addEventListener("error", on_error, true);
		script.type = "module";
		script.src = url;
		script.addEventListener("load", done);
		script.addEventListener("error", done);
		document.head.append(script);
	});
}

/** Static and dynamic imports of an http(s) address in module source. */
const REMOTE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](https?:\/\/[^"'\s]+)["']/g;

/**
 * The http(s) addresses `esm` imports (itself, when it is one): what a page offline, or behind a
 * firewall, cannot load.
 *
 * @param {string} esm inline source or an http(s) URL
 * @returns {string[]}
 */
export function remote_imports(esm) {
	if (is_url(esm)) return [esm.trim()];
	return [...new Set(Array.from(esm.matchAll(REMOTE_IMPORT), (match) => match[1]))];
}

/**
 * Whether an import failed to fetch a module (rather than to parse or run one).
 *
 * @param {unknown} error
 */
export function is_fetch_failure(error) {
	return (
		error instanceof TypeError &&
		/dynamically imported module|failed to fetch|error loading|importing a module script failed/i.test(error.message)
	);
}
