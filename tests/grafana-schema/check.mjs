// Type-checks Grafana dashboard JSON files against Grafana's dashboard model: @grafana/schema ships it as TypeScript
// types only (no JSON schema), so each dashboard is embedded in a TypeScript module as
// `const dashboard = <the JSON> satisfies Dashboard` and compiled, strict, without emitting anything. `satisfies` on
// the literal keeps literal types ('row') and reports every property the model does not have.
//   node check.mjs DASHBOARD.json...   prints each error, exits 1 on any
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check.mjs DASHBOARD.json...');
  process.exit(2);
}

const options = {
  strict: true,
  exactOptionalPropertyTypes: false,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
  types: [],
};

// One virtual module per dashboard, beside node_modules so that '@grafana/schema' resolves.
const sources = new Map(files.map((file, i) => {
  const json = readFileSync(file, 'utf8');
  JSON.parse(json); // a JSON error is named as such, not as a TypeScript one
  return [path.join(here, `dashboard-${i}.mts`), { file, text: `import type { Dashboard } from '@grafana/schema';\nexport const dashboard = ${json.trim()} satisfies Dashboard;\n` }];
}));

const host = ts.createCompilerHost(options);
const getSourceFile = host.getSourceFile.bind(host);
const fileExists = host.fileExists.bind(host);
const readFile = host.readFile.bind(host);
host.getSourceFile = (name, version, ...rest) =>
  sources.has(name) ? ts.createSourceFile(name, sources.get(name).text, version, true) : getSourceFile(name, version, ...rest);
host.fileExists = (name) => sources.has(name) || fileExists(name);
host.readFile = (name) => (sources.has(name) ? sources.get(name).text : readFile(name));

const program = ts.createProgram([...sources.keys()], options, host);
const diagnostics = ts.getPreEmitDiagnostics(program);
for (const d of diagnostics) {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (d.file && sources.has(d.file.fileName)) {
    // Line 2 of the module is the JSON's first line.
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    const at = d.file.text.substr(d.start ?? 0, Math.min(d.length ?? 0, 80));
    console.error(`${sources.get(d.file.fileName).file}:${line}:${character + 1}: ${message} (at ${at})`);
  } else {
    console.error(`${d.file ? d.file.fileName : 'typescript'}: ${message}`);
  }
}

// A dashboard that did not reach the type checker (an unresolved '@grafana/schema') must fail too.
const resolved = program.getSourceFiles().some((f) => f.fileName.includes(`${path.sep}@grafana${path.sep}schema${path.sep}`));
if (!resolved) {
  console.error('@grafana/schema was not loaded: run npm ci in tests/grafana-schema');
}

if (diagnostics.length > 0 || !resolved) {
  process.exit(1);
}
console.log(`${files.length} dashboard(s) match @grafana/schema's Dashboard`);
