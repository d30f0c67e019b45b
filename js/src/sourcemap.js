// Where an error in a bundled module was written: its source map (a file beside the module, as
// bundlers emit it with `--sourcemap`, or inline) turns a line and column of the bundle into the
// original file's. Only what the error box needs: one lookup, no names.

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** The last `//# sourceMappingURL=` of a module text. */
const MAP_URL = /\/\/[#@]\s*sourceMappingURL=(\S+)\s*(?:\n|$)/g;

/**
 * @typedef {{ file: string, line: number, column: number }} Original
 * @typedef {{ sources?: string[], sourceRoot?: string, mappings?: string }} SourceMap
 */

/**
 * The original position of `line`/`column` (1-based) of module `text`, or null when it has no
 * source map or the map says nothing for that place.
 *
 * @param {string} text the module text
 * @param {number} line
 * @param {number} column
 * @param {(path: string) => Promise<string | null>} url_of the URL of a file beside the module
 * @returns {Promise<Original | null>}
 */
export async function original_position(text, line, column, url_of) {
	const found = [...text.matchAll(MAP_URL)].pop();
	if (!found) return null;
	try {
		const map = await read_map(found[1], url_of);
		return map ? lookup(map, line, column) : null;
	} catch (error) {
		console.warn(`[esmwidget] the source map ${found[1]} could not be read`, error);
		return null;
	}
}

/**
 * @param {string} reference
 * @param {(path: string) => Promise<string | null>} url_of
 * @returns {Promise<SourceMap | null>}
 */
async function read_map(reference, url_of) {
	if (reference.startsWith("data:")) return (await fetch(reference)).json();
	if (/^[a-z][a-z0-9+.-]*:|^\//i.test(reference)) return null; // not beside the module
	const url = await url_of(reference);
	if (url === null) return null;
	const response = await fetch(url);
	return response.ok ? response.json() : null;
}

/**
 * @param {SourceMap} map
 * @param {number} line
 * @param {number} column
 * @returns {Original | null}
 */
export function lookup(map, line, column) {
	const lines = (map.mappings ?? "").split(";");
	let source = 0;
	let original_line = 0;
	let original_column = 0;
	/** @type {Original | null} */
	let best = null;
	for (let index = 0; index < lines.length && index < line; index++) {
		let generated_column = 0;
		for (const segment of lines[index].split(",")) {
			if (!segment) continue;
			const fields = decode(segment);
			generated_column += fields[0];
			if (fields.length < 4) continue;
			source += fields[1];
			original_line += fields[2];
			original_column += fields[3];
			if (index === line - 1 && generated_column <= column - 1) {
				const file = `${map.sourceRoot ?? ""}${map.sources?.[source] ?? "?"}`;
				best = { file: file.replace(/^(\.\.?\/)+/, ""), line: original_line + 1, column: original_column + 1 };
			}
		}
	}
	return best;
}

/**
 * The numbers of one base64 VLQ segment.
 *
 * @param {string} segment
 * @returns {number[]}
 */
function decode(segment) {
	/** @type {number[]} */
	const values = [];
	let value = 0;
	let shift = 0;
	for (const char of segment) {
		const digit = BASE64.indexOf(char);
		if (digit < 0) throw new Error(`not base64 VLQ: ${JSON.stringify(segment)}`);
		value += (digit & 31) << shift;
		if (digit & 32) {
			shift += 5;
			continue;
		}
		values.push(value & 1 ? -(value >>> 1) : value >>> 1);
		value = 0;
		shift = 0;
	}
	return values;
}
