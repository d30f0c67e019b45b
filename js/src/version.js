// The npm version registered with the widget registry. package.json is the single version
// source; both bundlers keep only this field of it.
import { version } from "../../package.json";

export { version };
