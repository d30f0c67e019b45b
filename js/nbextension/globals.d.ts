// The requirejs globals of the classic Notebook page, as extension.js uses them.
declare function define(factory: () => unknown): void;

interface Window {
	requirejs: { config(options: { map: Record<string, Record<string, string>> }): void };
}
