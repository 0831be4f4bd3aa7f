// Builds the renderer into dist/renderer, served by the app:// protocol (and by the e2e browser host).
//
// One classic script, not an ES module: app:// is registered without corsEnabled, and whether
// Chromium fetches module scripts (always a CORS request) over such a scheme differs between Electron
// versions and was never seen working here. A classic <script defer> is fetched like an image, so the
// page loads the same way under every Electron and in the browser host. Hence an IIFE bundle, the
// module/crossorigin attributes taken off the tags Vite writes, and defer to keep module timing
// (the script runs after the document is parsed). test/unit/app/renderer-html.test.ts checks the output.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

function classicScripts(): Plugin {
  return {
    name: 'trailmark-classic-scripts',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html
        .replace(/<script\b([^>]*)>/g, (_tag, attrs: string) => {
          const rest = attrs.replace(/\s+type="module"/, '').replace(/\s+crossorigin(="[^"]*")?/, '');
          return `<script${/\sdefer\b/.test(rest) ? '' : ' defer'}${rest}>`;
        })
        .replace(/<link\b([^>]*)>/g, (_tag, attrs: string) => `<link${attrs.replace(/\s+crossorigin(="[^"]*")?/, '')}>`),
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), classicScripts()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome130',
    // No module preloads (a module feature; its polyfill would also be an inline script the CSP refuses).
    modulePreload: false,
    sourcemap: false,
    // One stylesheet file: split CSS in a non-module bundle is injected as <style> elements at run time, which the CSP (style-src 'self') refuses.
    cssCodeSplit: false,
    rollupOptions: {
      output: { format: 'iife' },
    },
  },
});
