// The front end of {{class_name}}: a React component. esbuild bundles it, with React and
// widget.css, into src/{{module}}/static/: `npm run build` once, `npm run dev` on every save.
import { createRender, useModelState } from "@anywidget/react";
// The synced traits of {{class_name}}, written from the Python class (`npm run types`).
import type { {{class_name}}Model } from "./model";
import "./widget.css";

/** `useModelState` for one of {{class_name}}'s traits: the compiler checks the name and the type. */
function useTrait<K extends keyof {{class_name}}Model & string>(key: K) {
  return useModelState<{{class_name}}Model[K]>(key);
}

function Counter() {
  // Like React's useState, kept in sync with the `count` trait in Python.
  const [count, setCount] = useTrait("count");
  return (
    <div className="{{module}}">
      <button type="button" onClick={() => setCount(count + 1)}>
        count is {count}
      </button>
    </div>
  );
}

export default {
  render: createRender(Counter),
};
