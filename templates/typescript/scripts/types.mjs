// Writes js/model.ts, the TypeScript type of the widget's model, from its Python class with
// `esmwidget types`: rename or retype a trait in Python and `npm run typecheck` shows where the
// front end still uses the old one. `npm run build`, `npm run dev` and `npm run typecheck` run
// it first. Where `esmwidget` is not on PATH (a build in an isolated environment), the
// js/model.ts in the project is kept as it is: keep it committed.
import { spawnSync } from "node:child_process";

const args = ["types", "{{module}}:{{class_name}}", "--path", "src", "-o", "js/model.ts"];
const run = spawnSync("esmwidget", args, { stdio: "inherit", shell: process.platform === "win32" });
if (run.error?.code === "ENOENT") {
  console.warn(
    "esmwidget is not on PATH, so js/model.ts is kept as it is. Activate the environment " +
      "esmwidget is installed in (pip install -e '.[dev]') to write it from the Python class.",
  );
  process.exit(0);
}
process.exit(run.status ?? 1);
