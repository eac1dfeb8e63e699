// Bundles the service for `npm start`: our TypeScript and the packages it imports into ES modules under
// dist/. Running plain JavaScript instead of transpiling at start saves about 28 MB per process. Bundling
// the packages too takes a worker's start from about 2.5 s of CPU to about 0.3 s: Node otherwise resolves
// each of a few thousand package files on its own, reading package.json files up the tree for every one.
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
  // Left to node_modules: packages that read their own files beside them at run time (PGlite's WebAssembly
  // and data, the queue board's page and assets) and native or optional add-ons.
  external: [
    '@electric-sql/pglite',
    '@electric-sql/pglite/*',
    '@bull-board/*',
    'pg-native',
    'msgpackr-extract',
    'node-gyp-build-optional-packages',
  ],
  // CommonJS packages inside an ES module bundle still call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __kehilaCreateRequire } from 'node:module'; const require = __kehilaCreateRequire(import.meta.url);",
  },
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  outExtension: { '.js': '.mjs' },
  sourcemap: 'linked',
  logLevel: 'warning',
});
