// Developer check of render.mjs against the real thing: renders each target with `kubectl kustomize` and with
// render.mjs and compares them resource by resource (order aside). Needs kubectl (v1.21+, kustomize v4+); the tests do
// not run it, since CI machines have no kubectl.
//   npm run compare-kubectl
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { renderKustomization, resourceId, targetsOf } from "./render.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");

function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
  }
  return value;
}

let differences = 0;
for (const target of targetsOf(path.join(root, "deploy", "k8s"))) {
  const relative = path.relative(root, target);
  const text = execFileSync("kubectl", ["kustomize", target], { encoding: "utf8" });
  const expected = new Map(
    YAML.parseAllDocuments(text, { version: "1.1" }).map((d) => d.toJS()).filter(Boolean).map((r) => [resourceId(r), r]));
  const actual = new Map(renderKustomization(target).map((r) => [resourceId(r), r]));
  for (const id of new Set([...expected.keys(), ...actual.keys()])) {
    const a = JSON.stringify(canonical(actual.get(id)));
    const e = JSON.stringify(canonical(expected.get(id)));
    if (a !== e) {
      differences++;
      console.log(`${relative}: ${id} differs\n  kubectl:    ${e}\n  render.mjs: ${a}`);
    }
  }
  console.log(`${relative}: ${expected.size} resources from kubectl, ${actual.size} from render.mjs`);
}
console.log(differences === 0 ? "render.mjs matches kubectl kustomize" : `${differences} difference(s)`);
process.exit(differences === 0 ? 0 : 1);
