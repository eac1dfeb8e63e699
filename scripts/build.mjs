// Bundles the service for `npm start`: our TypeScript into ES modules under dist/, packages left to
// node_modules. Running plain JavaScript instead of transpiling at start saves about 28 MB per process.
// Code splitting keeps the lazily imported parts (Slack, Google, the queue board) out of memory until used.
import { build } from 'esbuild';

const [outdir = 'dist', ...entries] = process.argv.slice(2);
await build({
  entryPoints: entries.length > 0 ? entries : ['src/main.ts'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  outExtension: { '.js': '.mjs' },
  sourcemap: 'linked',
  logLevel: 'warning',
});
