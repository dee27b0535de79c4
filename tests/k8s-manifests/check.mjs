// Renders deploy/k8s/base and every deploy/k8s/overlays/NAME (render.mjs) and validates each rendered document against
// its JSON schema: Kubernetes' own (npm kubernetes-models) and KEDA's (npm @kubernetes-models/keda), with
// `new Model(document).validate()`. Prints {"targets": [{"path", "documents": [...]}]} as JSON on standard output for
// the cross-reference checks of tests/ToxicFunctions.Tests/Deploy/KubernetesManifestTests.cs; exits 1 with every
// problem on standard error when a document does not render or does not validate.
//   node check.mjs [REPO_ROOT]
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderKustomization, resourceId, targetsOf } from "./render.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? path.join(here, "..", ".."));
const k8s = path.join(root, "deploy", "k8s");

// The model class of an apiVersion and kind: kubernetes-models/<apiVersion> for Kubernetes' groups (core "v1"),
// @kubernetes-models/keda/<apiVersion> for KEDA's.
const modules = new Map();
async function modelOf(apiVersion, kind) {
  const candidates = apiVersion.startsWith("keda.sh/")
    ? [`@kubernetes-models/keda/${apiVersion}`]
    : [`kubernetes-models/${apiVersion}`];
  for (const specifier of candidates) {
    if (!modules.has(specifier)) {
      try {
        modules.set(specifier, await import(specifier));
      } catch (e) {
        if (e.code === "ERR_MODULE_NOT_FOUND" || e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") {
          modules.set(specifier, null);
        } else {
          throw e;
        }
      }
    }
    const model = modules.get(specifier)?.[kind];
    if (typeof model === "function") {
      return model;
    }
  }
  return null;
}

const problems = [];
const output = { targets: [] };
for (const target of targetsOf(k8s)) {
  const relative = path.relative(root, target).split(path.sep).join("/");
  let documents;
  try {
    documents = renderKustomization(target);
  } catch (e) {
    problems.push(`${relative}: does not render: ${e.message}`);
    continue;
  }
  for (const document of documents) {
    const model = await modelOf(document.apiVersion, document.kind);
    if (!model) {
      problems.push(`${relative}: ${resourceId(document)}: no schema for ${document.apiVersion} ${document.kind}`);
      continue;
    }
    try {
      new model(document).validate();
    } catch (e) {
      problems.push(`${relative}: ${resourceId(document)}: ${e.message}`);
    }
  }
  output.targets.push({ path: relative, documents });
}

if (problems.length > 0) {
  process.stderr.write(`${problems.length} problem(s) in deploy/k8s:\n${problems.map((p) => `  ${p}`).join("\n")}\n`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(output));
