// Builds the renderer into dist/renderer, served by the app:// protocol (and by the e2e browser host).
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome130',
    // The polyfill would be an inline script, which the CSP refuses; Chromium needs none.
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
