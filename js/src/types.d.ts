// Hand-written types for esmwidget's front end: what a widget author sees (the anywidget
// front-end module, "AFM"), and the wire shapes the loader exchanges with the Python side.
// The JS modules import these with JSDoc `@import` tags; nothing here is emitted.

// ---------------------------------------------------------------------------------------------
// Author-facing API (compatible with anywidget's AFM)
// ---------------------------------------------------------------------------------------------

/** The state of a widget: its synced traits by name. */
export type ModelState = Record<string, any>;

/** Events a module can listen to through the model proxy. */
export type ModelEventName<T extends ModelState> =
	| "change"
	| `change:${Extract<keyof T, string>}`
	| "msg:custom"
	| (string & {});

/** Kernel callbacks accepted by `send` and `save_changes`, as in `@jupyter-widgets/base`. */
export type Callbacks = Record<string, unknown>;

/** Binary payloads accepted by `send` and `invoke`. */
export type BufferLike = ArrayBuffer | ArrayBufferView;

/**
 * The model a module is given. Listeners added with `on` are tied to the `initialize` or
 * `render` call that received this model and are removed when its `signal` aborts.
 */
export interface AnyModel<T extends ModelState = ModelState> {
	get<K extends Extract<keyof T, string>>(key: K): T[K];
	set<K extends Extract<keyof T, string>>(key: K, value: T[K]): void;
	save_changes(): void;
	send(content: unknown, callbacks?: Callbacks, buffers?: BufferLike[]): void;
	on<K extends Extract<keyof T, string>>(name: `change:${K}`, callback: (model: unknown, value: T[K]) => void): void;
	on(name: "msg:custom", callback: (content: any, buffers: DataView[]) => void): void;
	on(name: ModelEventName<T>, callback: (...args: any[]) => void): void;
	off(name?: ModelEventName<T> | null, callback?: ((...args: any[]) => void) | null): void;
	widget_manager: {
		get_model<S extends ModelState = ModelState>(model_id: string): Promise<AnyModel<S>>;
		/** A view of any widget (a model from `get_model`), made by the page's widget manager. */
		create_view(model: AnyModel<any>, options?: Record<string, unknown>): Promise<WidgetView>;
	};
}

/** A view made by the page's widget manager: its `el` goes in the page, `remove()` ends it. */
export interface WidgetView {
	el: HTMLElement;
	remove(): unknown;
}

/** Options for `experimental.invoke`. */
export interface InvokeOptions {
	buffers?: BufferLike[];
	signal?: AbortSignal;
}

/** Calls a Python command; resolves `[response, buffers]`. */
export type Invoke = <R = unknown>(name: string, msg?: unknown, options?: InvokeOptions) => Promise<[R, DataView[]]>;

export interface Experimental {
	invoke: Invoke;
}

/** A child widget obtained with `host.getWidget`. */
export interface ChildWidget {
	exports: unknown;
	render(props: { el: HTMLElement; signal?: AbortSignal }): Promise<void>;
}

/** Access to other widgets from `render` (anywidget 0.11). A ref is `IPY_MODEL_<id>` or `anywidget:<id>`. */
export interface Host {
	getModel<S extends ModelState = ModelState>(ref: string): Promise<AnyModel<S>>;
	getWidget(ref: string): Promise<ChildWidget>;
}

export interface InitializeProps<T extends ModelState = ModelState> {
	model: AnyModel<T>;
	signal: AbortSignal;
	experimental: Experimental;
}

export interface RenderProps<T extends ModelState = ModelState> {
	model: AnyModel<T>;
	el: HTMLElement;
	signal: AbortSignal;
	host: Host;
	experimental: Experimental;
}

/** What `initialize`/`render` may return: a cleanup, awaited when the lifetime ends. */
export type Cleanup = () => unknown;
export type MaybePromise<T> = T | Promise<T>;

/** `initialize` may return a cleanup or, as in anywidget 0.11, an exports object. */
export type Initialize<T extends ModelState = ModelState> = (
	props: InitializeProps<T>,
) => MaybePromise<Cleanup | unknown>;
export type Render<T extends ModelState = ModelState> = (
	props: RenderProps<T>,
) => MaybePromise<Cleanup | undefined | void>;

export interface WidgetDef<T extends ModelState = ModelState> {
	initialize?: Initialize<T>;
	render?: Render<T>;
}

/** The default export of a module: the definition, or a (possibly async) factory returning it. */
export type AnyWidget<T extends ModelState = ModelState> = WidgetDef<T> | (() => MaybePromise<WidgetDef<T>>);

// ---------------------------------------------------------------------------------------------
// Wire shapes (custom messages; docs/protocol.md, "Custom messages, commands and loader messages")
// ---------------------------------------------------------------------------------------------

/** JS -> Python: a command call. */
export interface CommandRequest {
	id: string;
	kind: "anywidget-command";
	name: string;
	msg: unknown;
}

/** Python -> JS: a successful command reply (with buffers). */
export interface CommandResult {
	id: string;
	kind: "anywidget-command-response";
	response: unknown;
}

/** Python -> JS: a failed command. */
export interface CommandFailure {
	id: string;
	kind: "anywidget-command-response";
	error: { type: string; message: string; traceback?: string };
}

/** Python -> JS: the watched file behind `key` (`_esm` or `_css`) was deleted or could not be read. */
export interface HmrErrorMessage {
	kind: "esmwidget-hmr-error";
	message: string;
	key?: string;
	path?: string;
}

/** Python -> JS: the file behind `key` is back with the same text, so no update follows. */
export interface HmrOkMessage {
	kind: "esmwidget-hmr-ok";
	key?: string;
}

/** Python -> JS: a Python handler of the widget's custom messages raised. */
export interface PythonErrorMessage {
	kind: "esmwidget-python-error";
	/** Which handler: `on_msg callback <name>` or `<Class>._handle_custom_msg`. */
	where: string;
	error: { type: string; message: string; traceback?: string };
}

/** One key of an update from the page that Python did not take. */
export interface Refusal {
	key: string;
	/**
	 * `protected`: code, style or identity; `unsynced`: a Python trait without `.tag(sync=True)`;
	 * `invalid`: validation rejected the value, and the views were sent Python's value. (A key
	 * that is not the widget's state at all is only in the kernel's log.)
	 */
	why: "protected" | "unsynced" | "invalid";
	/** The kernel's words: the validation error, or what the widget does sync. */
	reason: string;
	/** `invalid`: the value received, as Python shows it. */
	value?: string;
}

/** Python -> JS: keys of an update were refused (each key once, every rejected value). */
export interface RefusedMessage {
	kind: "esmwidget-refused";
	refused: Refusal[];
}

/** Python -> JS: one of the widget's own files (its bytes are the one buffer), or why not. */
export interface FileResponse {
	kind: "esmwidget-file-response";
	id: string;
	path: string;
	/** The media type the file is served with. */
	type?: string;
	/** `status` as HTTP would say it: 403 refused, 404 missing. */
	error?: { status: number; message: string };
}

/** Python -> JS, with hot reload: files the page loaded were saved, deleted or are back. */
export interface FilesChanged {
	kind: "esmwidget-files-changed";
	/** Relative to the module's folder. */
	paths: string[];
}

/** Custom messages the loader consumes; they never reach the module's `msg:custom` listeners. */
export type OwnMessage =
	| CommandResult
	| CommandFailure
	| FileResponse
	| FilesChanged
	| HmrErrorMessage
	| HmrOkMessage
	| PythonErrorMessage
	| RefusedMessage;
