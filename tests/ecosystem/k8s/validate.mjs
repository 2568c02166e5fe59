// Offline check of the Kubernetes manifests in a folder (default deploy/k8s):
// 1. schema: every object against the Kubernetes JSON schema of its apiVersion/kind, as bundled by
//    kubernetes-models (types, required fields, enums, formats);
// 2. no unknown fields: the same objects as typed object literals of the models' TypeScript
//    interfaces, compiled by tsc (a misspelt "readynessProbe" is an error, as kubectl's strict
//    field validation would make it);
// 3. the suite's own rules: probes, Prometheus annotations, non-root pods, a Service, an HPA and a
//    PodDisruptionBudget per service, Secrets and ConfigMap keys that exist, Services that select
//    their pods, and NetworkPolicies under which only the gateway reaches the services.
// Prints "k8s_validate: N passed, M failed" last; exits 1 on any failure.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const dir = resolve(process.argv[2] || "deploy/k8s");
const extraFiles = process.argv.slice(3); // further manifests (e.g. generated Secrets)
const SERVICES = ["gateway", "projects", "itineraries", "evaluation", "transfer"];
let passed = 0;
let failed = 0;
const check = (ok, what, detail = "") => {
  if (ok) passed++;
  else failed++;
  console.log(`  ${ok ? "ok" : "FAILED"}: ${what}${!ok && detail ? " — " + detail : ""}`);
};

// ---- load
const objects = []; // {file, index, doc}
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && f !== "kustomization.yaml");
for (const f of [...files.map((f) => join(dir, f)), ...extraFiles]) {
  const docs = parseAllDocuments(readFileSync(f, "utf8"));
  docs.forEach((d, index) => {
    if (d.errors.length) {
      check(false, `${f}#${index} parses`, d.errors[0].message);
      return;
    }
    const doc = d.toJS();
    if (doc) objects.push({ file: f.replace(dir + "/", ""), index, doc });
  });
}
check(objects.length > 0, `${objects.length} objects read from ${dir}`);
const where = (o) => `${o.file}#${o.index} ${o.doc.kind}/${o.doc.metadata?.name}`;

// ---- 1. schemas
const modulePath = (apiVersion, kind) =>
  `kubernetes-models/${apiVersion.includes("/") ? apiVersion : apiVersion}/${kind}`;
for (const o of objects) {
  const { apiVersion, kind } = o.doc;
  let Model;
  try {
    Model = (await import(modulePath(apiVersion, kind)))[kind];
  } catch (e) {
    check(false, `${where(o)}: known apiVersion/kind`, `${apiVersion} ${kind}`);
    continue;
  }
  try {
    new Model(o.doc).validate();
    check(true, `${where(o)} matches the ${apiVersion} ${kind} schema`);
  } catch (e) {
    check(false, `${where(o)} matches the ${apiVersion} ${kind} schema`, e.message.slice(0, 400));
  }
}

// ---- 2. unknown fields, by TypeScript's excess property checks
{
  const work = mkdtempSync(join(tmpdir(), "k8s-ts-"));
  const lines = [];
  const imports = new Map();
  objects.forEach((o, i) => {
    const { apiVersion, kind } = o.doc;
    const mod = modulePath(apiVersion, kind);
    const alias = `I${kind}_${imports.size}`;
    if (!imports.has(mod)) imports.set(mod, alias);
    lines.push(`// ${where(o)}\nexport const obj${i}: ${imports.get(mod)} = ${JSON.stringify(o.doc, null, 1)};`);
  });
  const head = [...imports].map(([mod, alias]) => {
    const kind = mod.split("/").pop();
    return `import type { I${kind} as ${alias} } from "${mod}";`;
  });
  writeFileSync(join(work, "manifests.ts"), head.join("\n") + "\n" + lines.join("\n") + "\n");
  writeFileSync(
    join(work, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext",
        skipLibCheck: true, target: "es2022", typeRoots: [],
      },
      files: ["manifests.ts"],
    }),
  );
  // Resolution of "kubernetes-models/..." from the temporary folder: link our node_modules there.
  execFileSync("ln", ["-s", join(here, "node_modules"), join(work, "node_modules")]);
  const text = readFileSync(join(work, "manifests.ts"), "utf8").split("\n");
  try {
    execFileSync(process.execPath, [join(here, "node_modules/typescript/bin/tsc"), "-p", work], {
      encoding: "utf8",
    });
    check(true, "no unknown or mistyped fields (TypeScript models, excess property checks)");
  } catch (e) {
    const errs = (e.stdout || "").split("\n").filter((l) => l.includes("error TS"));
    const described = errs.slice(0, 10).map((l) => {
      const m = l.match(/manifests\.ts\((\d+),/);
      let n = m ? Number(m[1]) - 1 : 0;
      while (n > 0 && !text[n].startsWith("// ")) n--;
      return `${text[n]?.slice(3)}: ${l.replace(/^.*error TS\d+: /, "")}`;
    });
    check(false, "no unknown or mistyped fields", described.join("\n    ") || e.message);
  }
  rmSync(work, { recursive: true, force: true });
}

// ---- 3. the suite's own rules
const byKind = (kind) => objects.filter((o) => o.doc.kind === kind).map((o) => o.doc);
const find = (kind, name) => byKind(kind).find((d) => d.metadata?.name === name);
const matches = (selector, labels) => {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels || {})) if (labels?.[k] !== v) return false;
  for (const e of selector.matchExpressions || []) {
    const has = labels && k_in(labels, e.key);
    const val = labels?.[e.key];
    if (e.operator === "In" && !(has && e.values.includes(val))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(val)) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
};
function k_in(obj, k) {
  return Object.prototype.hasOwnProperty.call(obj, k);
}

const secrets = new Map(byKind("Secret").map((s) => [s.metadata.name, s]));
const configMaps = new Map(byKind("ConfigMap").map((c) => [c.metadata.name, c]));
const pods = {}; // service -> {labels, ports}
for (const svc of SERVICES) {
  const d = find("Deployment", svc);
  check(!!d, `${svc}: Deployment`);
  if (!d) continue;
  const tpl = d.spec.template;
  const labels = tpl.metadata?.labels || {};
  check(matches(d.spec.selector, labels), `${svc}: Deployment selector matches its pod labels`);
  const c = tpl.spec.containers[0];
  const ports = Object.fromEntries((c.ports || []).map((p) => [p.name, p.containerPort]));
  pods[svc] = { labels, ports };
  const portOf = (p) => (typeof p === "number" ? p : ports[p]);
  check(
    c.readinessProbe?.httpGet?.path === "/readyz" && portOf(c.readinessProbe.httpGet.port) === 8080,
    `${svc}: readiness probe on /readyz`,
  );
  check(
    c.livenessProbe?.httpGet?.path === "/healthz" && portOf(c.livenessProbe.httpGet.port) === 8080,
    `${svc}: liveness probe on /healthz`,
  );
  const a = tpl.metadata?.annotations || {};
  check(
    a["prometheus.io/scrape"] === "true" && Number(a["prometheus.io/port"]) === 8080 &&
      a["prometheus.io/path"] === "/metrics",
    `${svc}: Prometheus scrape annotations (8080, /metrics)`,
  );
  const sc = tpl.spec.securityContext || {};
  check(
    sc.runAsNonRoot === true && sc.runAsUser > 0 && c.securityContext?.allowPrivilegeEscalation === false &&
      c.securityContext?.readOnlyRootFilesystem === true,
    `${svc}: non-root, no privilege escalation, read-only root file system`,
  );
  check(!!c.resources?.requests?.cpu, `${svc}: CPU request (the HPA scales on it)`);
  const env = c.env || [];
  const missing = [];
  for (const e of env) {
    const s = e.valueFrom?.secretKeyRef;
    if (s && !(secrets.get(s.name)?.stringData?.[s.key] !== undefined || secrets.get(s.name)?.data?.[s.key] !== undefined))
      missing.push(`secret ${s.name}/${s.key}`);
    const m = e.valueFrom?.configMapKeyRef;
    if (m && !m.optional && configMaps.get(m.name)?.data?.[m.key] === undefined)
      missing.push(`config map ${m.name}/${m.key}`);
  }
  for (const f of c.envFrom || [])
    if (f.configMapRef && !configMaps.has(f.configMapRef.name)) missing.push(`config map ${f.configMapRef.name}`);
  check(missing.length === 0, `${svc}: every Secret and ConfigMap it reads exists`, missing.join(", "));
  const names = env.map((e) => e.name);
  const needs = ["DATABASE_URL", "PGPASSWORD", "INTERNAL_SECRET"].concat(svc === "gateway" ? ["TOKEN_SECRET"] : []);
  check(
    needs.every((n) => names.includes(n) && env.find((e) => e.name === n).valueFrom),
    `${svc}: ${needs.join(", ")} from Secrets/ConfigMaps, never inline`,
  );
  if (svc !== "gateway")
    check(
      !names.includes("TOKEN_SECRET") &&
        !(c.envFrom || []).some((f) => f.secretRef && f.secretRef.name === "care-hub-gateway"),
      `${svc}: not given the gateway's TOKEN_SECRET`,
    );
  const pw = env.find((e) => e.name === "PGPASSWORD");
  check(pw?.valueFrom?.secretKeyRef?.name === `care-hub-db-${svc}`, `${svc}: database password from its own Secret`);

  const s = find("Service", svc);
  check(
    !!s && matches({ matchLabels: s.spec.selector }, labels) &&
      s.spec.ports.every((p) => portOf(p.targetPort) === 8080),
    `${svc}: Service selects its pods on the http port`,
  );
  const h = find("HorizontalPodAutoscaler", svc);
  check(
    !!h && h.spec.scaleTargetRef.kind === "Deployment" && h.spec.scaleTargetRef.name === svc &&
      h.spec.minReplicas >= 2 && h.spec.maxReplicas > h.spec.minReplicas,
    `${svc}: HorizontalPodAutoscaler on its Deployment (at least 2 replicas)`,
  );
  const b = find("PodDisruptionBudget", svc);
  check(!!b && matches(b.spec.selector, labels), `${svc}: PodDisruptionBudget selects its pods`);
}
const gwSvc = find("Service", "gateway");
check(
  byKind("Service").filter((s) => ["LoadBalancer", "NodePort"].includes(s.spec.type)).length === 0,
  "no service exposed outside the cluster by itself (an Ingress or load balancer fronts the gateway)",
);
check(!!gwSvc, "gateway Service exists");
const pg = find("Service", "care-hub-postgres");
check(pg?.spec?.type === "ExternalName", "PostgreSQL is external (ExternalName Service)");
for (const [name, key] of [["care-hub-internal", "INTERNAL_SECRET"], ["care-hub-gateway", "TOKEN_SECRET"]])
  check(!!secrets.get(name), `Secret ${name} (${key})`);

// NetworkPolicies: who reaches whom on port 8080 inside the namespace, and from outside.
const policies = byKind("NetworkPolicy");
const NS = "care-hub";
const portOk = (rulePorts, target) =>
  !rulePorts || rulePorts.some((p) => p.port === undefined || p.port === 8080 || (target && target.ports[p.port] === 8080));
const peerOk = (peers, src) => {
  if (!peers || peers.length === 0) return true;
  return peers.some((p) => {
    if (p.ipBlock) return src.external;
    const nsOk = p.namespaceSelector ? !src.external && matches(p.namespaceSelector, src.nsLabels) : src.ns === NS;
    const podOk = p.podSelector ? (src.ns === NS || p.namespaceSelector ? matches(p.podSelector, src.labels) || isEmptySel(p.podSelector) : false) : true;
    return nsOk && podOk;
  });
};
const isEmptySel = (s) => !s.matchLabels && !s.matchExpressions;
const selects = (pol, labels) => isEmptySel(pol.spec.podSelector) || matches(pol.spec.podSelector, labels);
const types = (pol) => pol.spec.policyTypes || ["Ingress"];
function ingressAllowed(src, dst) {
  const pols = policies.filter((p) => types(p).includes("Ingress") && selects(p, dst.labels));
  if (pols.length === 0) return true;
  return pols.some((p) => (p.spec.ingress || []).some((r) => peerOk(r.from, src) && portOk(r.ports, dst)));
}
function egressAllowed(src, dst, port) {
  if (src.ns !== NS) return true;
  const pols = policies.filter((p) => types(p).includes("Egress") && selects(p, src.labels));
  if (pols.length === 0) return true;
  return pols.some((p) =>
    (p.spec.egress || []).some((r) => {
      const toOk = !r.to || r.to.length === 0 || (dst.external ? r.to.some((t) => t.ipBlock) :
        r.to.some((t) => (!t.namespaceSelector && t.podSelector && matches(t.podSelector, dst.labels)) ||
          (t.podSelector && isEmptySel(t.podSelector))));
      const pOk = !r.ports || r.ports.some((x) => x.port === port || (dst.ports && dst.ports[x.port] === port));
      return toOk && pOk;
    }),
  );
}
const inside = (svc) => ({ ns: NS, nsLabels: { "kubernetes.io/metadata.name": NS }, labels: pods[svc].labels, ports: pods[svc].ports });
const outside = { ns: "ingress-nginx", nsLabels: { "kubernetes.io/metadata.name": "ingress-nginx" }, labels: { app: "ingress" }, external: false };
const monitoring = { ns: "monitoring", nsLabels: { "kubernetes.io/metadata.name": "monitoring" }, labels: { app: "prometheus" } };
check(policies.some((p) => isEmptySel(p.spec.podSelector) && types(p).includes("Ingress") && !(p.spec.ingress || []).length),
  "default deny of ingress in the namespace");
if (Object.keys(pods).length === SERVICES.length) {
  const expected = new Set(["gateway>projects", "gateway>itineraries", "gateway>evaluation", "gateway>transfer",
    "evaluation>projects", "transfer>projects"]);
  const got = [];
  for (const s of SERVICES)
    for (const t of SERVICES)
      if (s !== t && ingressAllowed(inside(s), inside(t)) && egressAllowed(inside(s), inside(t), 8080)) got.push(`${s}>${t}`);
  check(got.length === expected.size && got.every((x) => expected.has(x)),
    "inside the namespace only the gateway reaches the services (and evaluation, transfer reach projects)",
    `allowed: ${got.join(", ")}`);
  const fromOutside = SERVICES.filter((t) => ingressAllowed(outside, inside(t)));
  check(fromOutside.join() === "gateway", "from other namespaces only the gateway is reachable", `reachable: ${fromOutside.join(", ")}`);
  const scraped = SERVICES.filter((t) => ingressAllowed(monitoring, inside(t)));
  check(scraped.length === SERVICES.length, "Prometheus (monitoring namespace) can scrape every pod", `scraped: ${scraped.join(", ")}`);
  const db = { external: true, labels: {} };
  const toDb = SERVICES.filter((s) => egressAllowed(inside(s), db, 5432));
  check(toDb.length === SERVICES.length, "every service reaches the external PostgreSQL (5432)", `reach: ${toDb.join(", ")}`);
  const toDbOther = SERVICES.filter((s) => s !== "gateway" && egressAllowed(inside(s), db, 443));
  check(toDbOther.length === 0, "services other than the gateway have no other way out", `open: ${toDbOther.join(", ")}`);
}

// kustomization lists every manifest but the example Secrets.
{
  let k;
  try {
    k = parseAllDocuments(readFileSync(join(dir, "kustomization.yaml"), "utf8"))[0].toJS();
  } catch (e) {
    k = null;
  }
  const want = files.filter((f) => !f.startsWith("secrets.")).sort();
  check(!!k && JSON.stringify([...k.resources].sort()) === JSON.stringify(want),
    "kustomization.yaml lists every manifest (Secrets apart)", k ? `${k.resources} vs ${want}` : "unreadable");
  const imgs = new Set((k?.images || []).map((i) => i.name));
  check(SERVICES.every((s) => imgs.has(`care-hub/${s}`)), "kustomization.yaml sets the image of every service");
}

console.log(`k8s_validate: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
