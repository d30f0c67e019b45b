// The classic Notebook (and nbclassic) nbextension: tells requirejs where module "esmwidget" is.
// The notebook loads this file at page start (etc/jupyter/nbconfig/notebook.d/esmwidget.json).
// VS Code's Jupyter extension reads the same map from this file's text without running it, so
// the config call below stays in its plain form, is the only one in the file (these comments
// avoid spelling it), and its map holds flat "name": "path" pairs.
define(() => {
	window.requirejs.config({
		map: {
			"*": {
				esmwidget: "nbextensions/esmwidget/index",
			},
		},
	});
	return { load_ipython_extension() {} };
});
