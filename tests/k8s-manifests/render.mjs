// A small renderer of the kustomization fields deploy/k8s uses, so that the manifests are checked as `kubectl apply -k`
// would apply them on a machine without kubectl: resources (files and directories with a kustomization), namespace,
// images, and patches (strategic merge patches, and RFC 6902 JSON patches with a target). Any other field, or a
// feature of these fields that is not implemented (remote resources, $patch directives, ...), is an error rather
// than silently ignored. `npm run compare-kubectl` compares this output with `kubectl kustomize` where kubectl exists.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";

const SUPPORTED_FIELDS = new Set(["apiVersion", "kind", "resources", "namespace", "images", "patches"]);
const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

// Kinds that have no namespace (kustomize's namespace transformer leaves them alone).
const CLUSTER_SCOPED = new Set([
  "Namespace", "Node", "PersistentVolume", "StorageClass", "PriorityClass", "CustomResourceDefinition", "ClusterRole",
  "ClusterRoleBinding", "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
  "ClusterTriggerAuthentication", "IngressClass", "RuntimeClass",
]);

// API groups whose types kustomize knows the schema of (merge keys of lists); lists of other (custom) types are replaced.
const BUILTIN_GROUPS = new Set(["", "apps", "batch", "policy", "autoscaling", "networking.k8s.io", "rbac.authorization.k8s.io"]);

/** The documents of a YAML file, parsed as kubectl does (YAML 1.1 scalars, unique keys). */
export function readYamlDocuments(file) {
  const text = fs.readFileSync(file, "utf8");
  const documents = YAML.parseAllDocuments(text, { version: "1.1", uniqueKeys: true, prettyErrors: true });
  const result = [];
  for (const doc of documents) {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) {
      throw new Error(`${file}: ${problems.map((p) => p.message).join("; ")}`);
    }
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) {
      result.push(structuredClone(value)); // aliases (&labels / *labels) become independent copies
    }
  }
  return result;
}

function findKustomization(dir) {
  for (const name of KUSTOMIZATION_FILES) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) {
      return file;
    }
  }
  return null;
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function groupOf(apiVersion) {
  const slash = (apiVersion ?? "").indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

function versionOf(apiVersion) {
  const slash = (apiVersion ?? "").indexOf("/");
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

export function resourceId(resource) {
  const ns = resource.metadata?.namespace ? `${resource.metadata.namespace}/` : "";
  return `${resource.apiVersion} ${resource.kind} ${ns}${resource.metadata?.name}`;
}

/** Renders the kustomization in dir: the list of resources `kubectl kustomize dir` prints (order aside). */
export function renderKustomization(dir) {
  const file = findKustomization(dir);
  if (!file) {
    throw new Error(`${dir}: no kustomization.yaml`);
  }
  const [kustomization, ...more] = readYamlDocuments(file);
  if (more.length > 0 || !isObject(kustomization)) {
    throw new Error(`${file}: expected one mapping`);
  }
  for (const field of Object.keys(kustomization)) {
    if (!SUPPORTED_FIELDS.has(field)) {
      throw new Error(`${file}: field '${field}' is not implemented by this renderer (tests/k8s-manifests/render.mjs)`);
    }
  }
  if (kustomization.kind !== undefined && kustomization.kind !== "Kustomization") {
    throw new Error(`${file}: kind ${kustomization.kind} is not implemented`);
  }

  // 1. Resources: files as they are, directories rendered with their own kustomization.
  const resources = [];
  for (const entry of kustomization.resources ?? []) {
    if (/^[a-z]+:\/\//i.test(entry) || entry.startsWith("github.com/")) {
      throw new Error(`${file}: remote resource ${entry} is not implemented`);
    }
    const target = path.resolve(dir, entry);
    if (!fs.existsSync(target)) {
      throw new Error(`${file}: resource ${entry} does not exist`);
    }
    const rendered = fs.statSync(target).isDirectory() ? renderKustomization(target) : readYamlDocuments(target);
    for (const resource of rendered) {
      if (!isObject(resource) || !resource.apiVersion || !resource.kind || !resource.metadata?.name) {
        throw new Error(`${entry}: every document needs apiVersion, kind and metadata.name`);
      }
      if (resources.some((r) => resourceId(r) === resourceId(resource))) {
        throw new Error(`${file}: ${resourceId(resource)} is defined twice`);
      }
      resources.push(resource);
    }
  }

  // 2. Patches (kustomize applies them before the namespace and image transformers).
  for (const patch of kustomization.patches ?? []) {
    applyPatch(dir, file, patch, resources);
  }

  // 3. Namespace.
  if (kustomization.namespace !== undefined) {
    for (const resource of resources) {
      if (resource.kind === "RoleBinding" || resource.kind === "ClusterRoleBinding") {
        throw new Error(`${file}: namespace with role bindings (subjects) is not implemented`);
      }
      if (!CLUSTER_SCOPED.has(resource.kind)) {
        resource.metadata.namespace = kustomization.namespace;
      }
    }
  }

  // 4. Images.
  for (const image of kustomization.images ?? []) {
    if (!image.name) {
      throw new Error(`${file}: an images entry needs a name`);
    }
    let matched = 0;
    for (const resource of resources) {
      matched += setImages(resource, image);
    }
    if (matched === 0) {
      throw new Error(`${file}: image ${image.name} is used by no container`);
    }
  }
  return resources;
}

function applyPatch(dir, file, patch, resources) {
  if (!isObject(patch) || (patch.path === undefined) === (patch.patch === undefined)) {
    throw new Error(`${file}: a patches entry needs exactly one of path and patch`);
  }
  for (const key of Object.keys(patch)) {
    if (!["path", "patch", "target"].includes(key)) {
      throw new Error(`${file}: patches field '${key}' is not implemented`);
    }
  }
  const where = patch.path ?? "inline patch";
  let documents;
  if (patch.path !== undefined) {
    documents = readYamlDocuments(path.resolve(dir, patch.path));
  } else {
    documents = YAML.parseAllDocuments(patch.patch, { version: "1.1", uniqueKeys: true }).map((d) => d.toJS());
  }
  if (documents.length === 0) {
    throw new Error(`${where}: an empty patch`);
  }
  if (documents.length > 1 && (patch.target !== undefined || documents.some(Array.isArray))) {
    throw new Error(`${where}: several documents in one patch are implemented for strategic merge patches without a target only`);
  }
  for (const body of documents) {
    applyPatchDocument(body, patch.target, where, resources);
  }
}

function applyPatchDocument(body, target, where, resources) {
  let targets;
  if (target !== undefined) {
    targets = resources.filter((r) => matchesTarget(r, target, where));
  } else {
    if (Array.isArray(body)) {
      throw new Error(`${where}: a JSON patch needs a target`);
    }
    targets = resources.filter((r) => r.kind === body.kind && r.apiVersion === body.apiVersion && r.metadata.name === body.metadata?.name);
  }
  if (targets.length === 0) {
    throw new Error(`${where}: the patch ${Array.isArray(body) ? "" : `of ${body.kind} ${body.metadata?.name} `}matches no resource`);
  }
  for (const resource of targets) {
    if (Array.isArray(body)) {
      applyJsonPatch(resource, body, where);
    } else {
      if (body.kind !== resource.kind) {
        throw new Error(`${where}: a ${body.kind} patch cannot apply to ${resourceId(resource)}`);
      }
      const { metadata, ...rest } = body;
      const { name: _ignored, ...metadataRest } = metadata ?? {};
      const builtin = BUILTIN_GROUPS.has(groupOf(resource.apiVersion));
      strategicMerge(resource, { ...rest, metadata: metadataRest }, [], builtin, where);
    }
  }
}

function matchesTarget(resource, target, where) {
  for (const key of Object.keys(target)) {
    if (!["group", "version", "kind", "name", "namespace", "labelSelector"].includes(key)) {
      throw new Error(`${where}: target field '${key}' is not implemented`);
    }
  }
  const anchored = (pattern, value) => new RegExp(`^(?:${pattern})$`).test(value ?? "");
  if (target.group !== undefined && groupOf(resource.apiVersion) !== target.group) return false;
  if (target.version !== undefined && versionOf(resource.apiVersion) !== target.version) return false;
  if (target.kind !== undefined && !anchored(target.kind, resource.kind)) return false;
  if (target.name !== undefined && !anchored(target.name, resource.metadata.name)) return false;
  if (target.namespace !== undefined && !anchored(target.namespace, resource.metadata.namespace)) return false;
  if (target.labelSelector !== undefined) {
    for (const term of target.labelSelector.split(",")) {
      const match = /^\s*([^=!\s]+)\s*==?\s*([^=!\s]*)\s*$/.exec(term);
      if (!match) {
        throw new Error(`${where}: label selector term '${term}' is not implemented (only key=value)`);
      }
      if ((resource.metadata.labels ?? {})[match[1]] !== match[2]) return false;
    }
  }
  return true;
}

// The merge keys of the lists of built-in types that deploy/k8s patches (Kubernetes' patchMergeKey).
function mergeKeyOf(pathSoFar, field) {
  switch (field) {
    case "containers":
    case "initContainers":
    case "ephemeralContainers":
    case "env":
    case "volumes":
    case "imagePullSecrets":
      return "name";
    case "volumeMounts":
      return "mountPath";
    case "ports":
      return pathSoFar.some((p) => p === "containers" || p === "initContainers") ? "containerPort" : "port";
    default:
      return null;
  }
}

function strategicMerge(target, patch, pathSoFar, builtin, where) {
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith("$")) {
      throw new Error(`${where}: directive ${key} is not implemented`);
    }
    if (value === null) {
      delete target[key];
      continue;
    }
    const current = target[key];
    if (isObject(value) && isObject(current)) {
      strategicMerge(current, value, [...pathSoFar, key], builtin, where);
    } else if (Array.isArray(value) && Array.isArray(current) && builtin && mergeKeyOf(pathSoFar, key)) {
      const mergeKey = mergeKeyOf(pathSoFar, key);
      for (const item of value) {
        if (!isObject(item) || item[mergeKey] === undefined) {
          throw new Error(`${where}: items of ${[...pathSoFar, key].join(".")} need ${mergeKey}`);
        }
        const existing = current.find((c) => isObject(c) && c[mergeKey] === item[mergeKey]);
        if (existing) {
          strategicMerge(existing, item, [...pathSoFar, key], builtin, where);
        } else {
          current.push(structuredClone(item));
        }
      }
    } else {
      target[key] = structuredClone(value);
    }
  }
}

function parsePointer(pointer, where) {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) {
    throw new Error(`${where}: '${pointer}' is not a JSON pointer`);
  }
  return pointer.slice(1).split("/").map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function applyJsonPatch(resource, operations, where) {
  for (const operation of operations) {
    const tokens = parsePointer(operation.path, where);
    const last = tokens.pop();
    let parent = resource;
    for (const token of tokens) {
      parent = Array.isArray(parent) ? parent[Number(token)] : parent?.[token];
      if (parent === undefined) {
        throw new Error(`${where}: ${operation.path} does not exist in ${resourceId(resource)}`);
      }
    }
    const exists = Array.isArray(parent) ? Number(last) < parent.length : Object.hasOwn(parent, last);
    switch (operation.op) {
      case "add":
        if (Array.isArray(parent)) {
          parent.splice(last === "-" ? parent.length : Number(last), 0, structuredClone(operation.value));
        } else {
          parent[last] = structuredClone(operation.value);
        }
        break;
      case "replace":
        if (!exists) {
          throw new Error(`${where}: replace of ${operation.path}, which does not exist in ${resourceId(resource)}`);
        }
        parent[last] = structuredClone(operation.value);
        break;
      case "remove":
        if (!exists) {
          throw new Error(`${where}: remove of ${operation.path}, which does not exist in ${resourceId(resource)}`);
        }
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
        break;
      default:
        throw new Error(`${where}: JSON patch op '${operation.op}' is not implemented`);
    }
  }
}

function splitImage(image) {
  let name = image;
  let digest;
  const at = name.indexOf("@");
  if (at >= 0) {
    digest = name.slice(at + 1);
    name = name.slice(0, at);
  }
  let tag;
  const colon = name.lastIndexOf(":");
  if (colon > name.lastIndexOf("/")) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  return { name, tag, digest };
}

function setImages(node, image) {
  let matched = 0;
  if (Array.isArray(node)) {
    for (const item of node) matched += setImages(item, image);
    return matched;
  }
  if (!isObject(node)) return 0;
  for (const [key, value] of Object.entries(node)) {
    if ((key === "containers" || key === "initContainers") && Array.isArray(value)) {
      for (const container of value) {
        if (!isObject(container) || typeof container.image !== "string") continue;
        const parts = splitImage(container.image);
        if (parts.name !== image.name) continue;
        const name = image.newName ?? parts.name;
        if (image.digest) container.image = `${name}@${image.digest}`;
        else if (image.newTag) container.image = `${name}:${image.newTag}`;
        else container.image = `${name}${parts.tag ? `:${parts.tag}` : ""}${parts.digest ? `@${parts.digest}` : ""}`;
        matched++;
      }
    } else {
      matched += setImages(value, image);
    }
  }
  return matched;
}

/** deploy/k8s/base and every deploy/k8s/overlays/NAME with a kustomization, in that order. */
export function targetsOf(k8sDir) {
  const targets = [path.join(k8sDir, "base")];
  const overlays = path.join(k8sDir, "overlays");
  if (fs.existsSync(overlays)) {
    for (const name of fs.readdirSync(overlays).sort()) {
      if (fs.existsSync(path.join(overlays, name, "kustomization.yaml"))) {
        targets.push(path.join(overlays, name));
      }
    }
  }
  return targets;
}
