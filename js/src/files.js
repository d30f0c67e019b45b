// A widget's own files (docs/front-end.md, "Files beside the module"). A module imported from a
// Blob URL has no folder, so `new URL("./engine.wasm", import.meta.url)`, as bundlers write it,
// cannot resolve. Before the module is imported, each such reference is replaced by the Blob URL
// of that file, which the kernel sends when asked: once per page, whatever the number of
// widgets and views. A module worker's own references are resolved the same way, from its folder.
/** @import { WidgetModel } from "@jupyter-widgets/base" */
/** @import { FileResponse } from "./types.js" */
import { uuid } from "./invoke.js";
import { FILE } from "./messages.js";

/**
 * `new URL("<relative>", import.meta.url)`, as bundlers and authors write it; the kernel finds
 * the same references for pages with no kernel (src/esmwidget/_assets/files.py).
 */
export const REFERENCE = /new\s+URL\(\s*(["'`])([^"'`$\n]+?)\1\s*,\s*import\.meta\.url\s*\)/g;
/** `url(<relative>)` in a stylesheet. */
export const CSS_REFERENCE = /url\(\s*(["']?)([^"')\s]+)\1\s*\)/g;
/** Module files, whose own references are resolved before their Blob is made. */
const MODULE_FILE = /\.m?js$/i;
/** A reference that is not relative: a full URL, a `data:` or `blob:` one, or a root path. */
const NOT_RELATIVE = /^(?:[a-z][a-z0-9+.-]*:|\/)/i;

/**
 * A page with no kernel carries the files its modules name (`export_html`): by widget class and
 * path, the file's digest; by digest, its type and base64 bytes.
 *
 * @typedef {{ classes: Record<string, Record<string, string>>, files: Record<string, { type: string, data: string }> }} PageFiles
 */
/** @type {PageFiles | null} */
let page_files = null;

/** @param {PageFiles | null} files the page's own files (page/index.js) */
export function set_page_files(files) {
	page_files = files;
}

/** Files asked for on this page, by widget class and path: the Blob URL, or null when missing. */
/** @type {Map<string, Promise<string | null>>} */
const asked = new Map();
/** How often each widget class's files changed on this page (hot reload): part of a module's key. */
/** @type {Map<string, number>} */
const versions = new Map();

/** How many files this page asked the kernels for (for tests). */
export function files_asked() {
	return asked.size;
}

/** The pending file requests of one model, matched to replies by id. */
export class FileRequests {
	/**
	 * @param {WidgetModel} model
	 * @param {() => string} id the widget class id
	 */
	constructor(model, id) {
		this.model = model;
		this.id = id;
		/** @type {Map<string, { resolve(value: { type: string, data: DataView } | null): void }>} */
		this.pending = new Map();
	}

	/**
	 * The Blob URL of the widget's file at `path` (relative to the module's folder), asked of the
	 * kernel once per page; null when the kernel has no such file (said once in the console).
	 *
	 * @param {string} path
	 * @returns {Promise<string | null>}
	 */
	url(path) {
		const key = `${this.id()}\n${path}`;
		let found = asked.get(key);
		if (!found) {
			found = this.#fetch(path);
			asked.set(key, found);
		}
		return found;
	}

	/** @param {string} path */
	async #fetch(path) {
		const answer = await this.#ask(path);
		if (!answer) return null;
		if (!MODULE_FILE.test(path)) return held_url(answer.data, answer.type);
		const text = new TextDecoder().decode(answer.data);
		const resolved = await with_files(text, folder_of(path), (name) => this.url(name));
		return blob_url(new TextEncoder().encode(resolved), answer.type);
	}

	/**
	 * @param {string} path
	 * @returns {Promise<{ type: string, data: DataView } | null>}
	 */
	#ask(path) {
		const carried = page_files?.classes?.[this.id()]?.[path];
		if (carried !== undefined) return Promise.resolve(from_page(carried, path, this.id()));
		if (!this.model.comm_live) {
			console.error(
				`[esmwidget] ${this.id()}: cannot load ${JSON.stringify(path)}: the widget has no kernel connection.`,
			);
			return Promise.resolve(null);
		}
		const request_id = uuid();
		return new Promise((resolve) => {
			this.pending.set(request_id, { resolve });
			this.model.send({ kind: FILE, id: request_id, path });
		});
	}

	/**
	 * The kernel's answer to one request.
	 *
	 * @param {FileResponse} message
	 * @param {DataView[]} buffers
	 */
	receive(message, buffers) {
		const call = this.pending.get(message.id);
		if (!call) return;
		this.pending.delete(message.id);
		if (message.error || buffers.length !== 1) {
			const why = message.error?.message ?? "the kernel sent no file";
			console.error(`[esmwidget] ${this.id()}: ${JSON.stringify(message.path)} could not be loaded: ${why}`);
			call.resolve(null);
			return;
		}
		call.resolve({ type: message.type ?? "application/octet-stream", data: buffers[0] });
	}

	/**
	 * Hot reload: `paths` changed. Forget them, and every module file of the class (a worker
	 * holds the addresses of the files it names); the next load asks again.
	 *
	 * @param {string[]} paths
	 */
	forget(paths) {
		const prefix = `${this.id()}\n`;
		for (const [key, found] of [...asked]) {
			if (!key.startsWith(prefix)) continue;
			const path = key.slice(prefix.length);
			if (paths.includes(path) || MODULE_FILE.test(path)) {
				asked.delete(key);
				found.then((url) => url !== null && held.delete(url));
			}
		}
		versions.set(this.id(), (versions.get(this.id()) ?? 0) + 1);
	}

	/** Which version of the class's files a module text was resolved with. */
	get version() {
		return versions.get(this.id()) ?? 0;
	}

	/** The widget closed: requests still waiting get no file. */
	close() {
		for (const call of this.pending.values()) call.resolve(null);
		this.pending.clear();
	}
}

/**
 * `text` with every relative `new URL(..., import.meta.url)` replaced by the URL of that file:
 * a Blob URL, or one that fails to load when the kernel has no such file (as a 404 would).
 *
 * @param {string} text module source
 * @param {string} base the folder `text` is in, relative to the module's folder ("" or "a/b/")
 * @param {(path: string) => Promise<string | null>} url_of
 * @returns {Promise<string>}
 */
export async function with_files(text, base, url_of) {
	if (!text.includes("import.meta.url")) return text;
	return replace_references(text, REFERENCE, base, url_of, (url) => `new URL(${JSON.stringify(url)})`);
}

/**
 * A stylesheet with every relative `url(...)` replaced by the URL of that file of the widget
 * (relative to the module's folder): fonts and images beside a file-backed `_css`.
 *
 * @param {string} text
 * @param {(path: string) => Promise<string | null>} url_of
 * @returns {Promise<string>}
 */
export function with_css_files(text, url_of) {
	return replace_references(text, CSS_REFERENCE, "", url_of, (url) => `url(${JSON.stringify(url)})`);
}

/**
 * `text` with each relative reference that `pattern` finds (its second group) replaced by
 * `write(url)`, the URL of that file; full URLs, root paths and `#id`s stay as they are.
 *
 * @param {string} text
 * @param {RegExp} pattern a global pattern whose second group is the reference
 * @param {string} base
 * @param {(path: string) => Promise<string | null>} url_of
 * @param {(url: string) => string} write
 * @returns {Promise<string>}
 */
async function replace_references(text, pattern, base, url_of, write) {
	const relative = (/** @type {string} */ reference) => !NOT_RELATIVE.test(reference) && !reference.startsWith("#");
	/** @type {Map<string, Promise<string | null>>} */
	const wanted = new Map();
	for (const match of text.matchAll(pattern)) {
		const path = join(base, match[2]);
		if (relative(match[2]) && !wanted.has(path)) wanted.set(path, url_of(path));
	}
	if (wanted.size === 0) return text;
	/** @type {Map<string, string>} */
	const urls = new Map();
	await Promise.all([...wanted].map(async ([path, url]) => urls.set(path, (await url) ?? missing_url())));
	return text.replace(pattern, (whole, _quote, reference) =>
		relative(reference) ? write(/** @type {string} */ (urls.get(join(base, reference)))) : whole,
	);
}

/**
 * `reference` resolved against `base`, both relative to the module's folder. A path that climbs
 * out of it keeps its `../`: the kernel refuses it.
 *
 * @param {string} base
 * @param {string} reference
 */
export function join(base, reference) {
	/** @type {string[]} */
	const parts = [];
	for (const part of `${base}${reference}`.split(/[?#]/)[0].split("/")) {
		if (part === "" || part === ".") continue;
		if (part === ".." && parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
		else parts.push(part);
	}
	return parts.join("/");
}

/**
 * A file the page carries, by digest.
 *
 * @param {string} digest
 * @param {string} path
 * @param {string} id
 * @returns {{ type: string, data: DataView } | null}
 */
function from_page(digest, path, id) {
	const file = page_files?.files?.[digest];
	if (!file) {
		console.error(`[esmwidget] ${id}: ${JSON.stringify(path)} is missing from this page.`);
		return null;
	}
	const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
	return { type: file.type, data: new DataView(bytes.buffer) };
}

/** @param {string} path */
function folder_of(path) {
	const cut = path.lastIndexOf("/");
	return cut < 0 ? "" : path.slice(0, cut + 1);
}

/**
 * A URL serving `data` as `type`: a Blob URL, or, in a page opened from a file (whose origin is
 * opaque), a `data:` URL, since module workers cannot start from that page's Blob URLs.
 *
 * @param {ArrayBufferView | ArrayBuffer} data
 * @param {string} type
 */
function blob_url(data, type) {
	if (globalThis.origin !== "null") return URL.createObjectURL(new Blob([/** @type {BlobPart} */ (data)], { type }));
	const bytes = ArrayBuffer.isView(data)
		? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
		: new Uint8Array(data);
	let text = "";
	for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return `data:${type};base64,${btoa(text)}`;
}

/**
 * The bytes of the files this page was given, by the Blob URL made for each. A module's `fetch`
 * of one is answered from these bytes: reading a large Blob back through its URL goes through the
 * browser's blob store and took about as long again as the file's whole trip from the kernel
 * (docs/performance.md, "Files beside the module"). Workers, images, fonts and stylesheets load
 * the Blob URL itself.
 *
 * @type {Map<string, { data: DataView, type: string }>}
 */
const held = new Map();
/** @type {typeof fetch | null} */
let page_fetch = null;

/**
 * A URL serving `data` as `type` (as `blob_url`), whose `fetch` in this page is served from
 * memory.
 *
 * @param {DataView} data
 * @param {string} type
 */
function held_url(data, type) {
	const url = blob_url(data, type);
	if (!url.startsWith("blob:")) return url;
	held.set(url, { data, type });
	if (page_fetch === null) {
		page_fetch = globalThis.fetch;
		globalThis.fetch = fetch_held;
	}
	return url;
}

/**
 * `fetch`, except that a plain GET of a held file's URL is answered from its bytes (each answer
 * has its own copy). Every other request goes to the page's own `fetch`, untouched.
 *
 * @param {RequestInfo | URL} input
 * @param {RequestInit} [init]
 * @returns {Promise<Response>}
 */
export function fetch_held(input, init) {
	const url = typeof input === "string" ? input : input instanceof URL ? input.href : null;
	const file = url === null ? undefined : held.get(url);
	const method = (init?.method ?? "GET").toUpperCase();
	if (!file || method !== "GET") {
		return /** @type {typeof fetch} */ (page_fetch).call(globalThis, input, init);
	}
	if (init?.signal?.aborted) return Promise.reject(init.signal.reason);
	const headers = { "Content-Type": file.type, "Content-Length": String(file.data.byteLength) };
	return Promise.resolve(
		new Response(/** @type {BodyInit} */ (/** @type {unknown} */ (file.data)), { status: 200, headers }),
	);
}

/** A URL whose every load fails, as a missing file's would. */
function missing_url() {
	const url = URL.createObjectURL(new Blob([]));
	URL.revokeObjectURL(url);
	return url;
}
