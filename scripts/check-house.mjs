// The house rules `npm run check` holds the tree to: no source file over 300 lines, and no import cycle,
// type-only imports included (a type cycle still ties two modules' designs together).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseCircular, parseDependencyTree } from 'dpdm';

const MAX_LINES = 300;
const files = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', 'src', 'workflows', 'integrations'],
  {
    encoding: 'utf8',
  },
)
  .split('\n')
  .filter((f) => /\.(ts|tsx)$/.test(f));
const problems = [];
for (const file of files) {
  let lines;
  try {
    lines = readFileSync(file, 'utf8').split('\n').length - 1;
  } catch {
    continue; // deleted in the working tree
  }
  if (lines > MAX_LINES) problems.push(`${file}: ${lines} lines (at most ${MAX_LINES})`);
}

const entries = files.filter((f) => !f.endsWith('.d.ts'));
const tree = await parseDependencyTree(entries, {
  context: process.cwd(),
  transform: false,
  skipDynamicImports: false,
});
for (const cycle of parseCircular(tree)) problems.push(`import cycle: ${cycle.join(' → ')}`);

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`house: ${files.length} files, none over ${MAX_LINES} lines, no import cycle`);
