import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The browser app: built into dist/web, which the service serves at /.
export default defineConfig({
  root: __dirname,
  base: '/',
  build: {
    outDir: resolve(__dirname, '../dist/web'),
    emptyOutDir: true,
    // Cytoscape alone is about 400 kB; one chunk loads once and is cached.
    chunkSizeWarningLimit: 1024,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
