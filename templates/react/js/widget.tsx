// The front end of {{class_name}}: a React component. esbuild bundles it, with React and
// widget.css, into src/{{module}}/static/: `npm run build` once, `npm run dev` on every save.
import { createRender, useModelState } from "@anywidget/react";
import "./widget.css";

function Counter() {
  // Like React's useState, kept in sync with the `count` trait in Python.
  const [count, setCount] = useModelState<number>("count");
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
