// Builds the renderer (renderer/index.html + renderer/src) into dist/renderer.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./renderer'),
  // Relative asset URLs: the same build is loaded from file:// (Electron) and http:// (serve).
  base: './',
  plugins: [react()],
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    // Keep everything in files: the CSP allows no inline script or style.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
