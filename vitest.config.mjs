import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";

const args = [
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
];

export default defineConfig({
	// Pre-bundle the widget libraries up front, so vite does not reload the page mid-run.
	optimizeDeps: { include: ["@jupyter-widgets/base", "@jupyter-widgets/base-manager"] },
	test: {
		include: ["js/test/**/*.test.js"],
		browser: {
			enabled: true,
			headless: true,
			provider: playwright({
				launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args },
			}),
			instances: [{ browser: "chromium" }],
			screenshotFailures: false,
		},
	},
});
