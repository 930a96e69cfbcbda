/** The parts of a Chrome DevTools CPU profile (what node's inspector writes) that we read. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Where chaincode CPU goes, by who wrote the code running: the shim's side (fabric-shim,
 * fabric-contract-api, gRPC, protobuf, Node's own streams and timers) or ours (the chaincode,
 * @kyc-ledger packages, and the libraries it calls: zod, the signature curves).
 */
export const Categories = {
  shim: 'fabric-shim (stub, handler)',
  contractApi: 'fabric-contract-api (routing, metadata, serialisation)',
  shimDeps: "fabric-shim's libraries (X.509 parsing of the creator for ClientIdentity, winston logging, ajv)",
  grpc: 'gRPC',
  protobuf: 'protobuf',
  runtime: 'Node runtime outside any of the above (I/O, timers)',
  gc: 'garbage collection',
  ours: 'our chaincode code (incl. JSON.parse/stringify, hashing it calls)',
  kycLibs: '@kyc-ledger/api & crypto (canonical JSON, statements)',
  validation: 'zod validation',
  curves: 'signature curves (@noble, libsecp256k1 in WebAssembly)',
  other: 'other libraries',
  profiler: 'the profiler itself (excluded from the split)',
} as const;
export type Category = keyof typeof Categories;
export const SHIM_SIDE: readonly Category[] = ['shim', 'contractApi', 'shimDeps', 'grpc', 'protobuf', 'runtime'];
/** Libraries only fabric-shim / fabric-contract-api use (our code calls none of them). */
const SHIM_LIBRARIES = ['@fidm/', 'winston', 'logform', '@colors/', 'colors/', 'fast-safe-stringify', 'ajv', 'fast-json-stable-stringify', 'fast-deep-equal', 'json-schema-traverse', 'class-transformer', 'reflect-metadata', 'get-params', 'triple-beam', 'readable-stream', 'safe-stable-stringify', 'one-time', 'fn.name', 'text-hex', 'kuler', 'color', 'stack-trace', 'async/', 'is-stream'];

function categoryOf(url: string): Category | undefined {
  if (!url || url.startsWith('node:')) return undefined;
  if (url.endsWith('/builder/cpuProfile.js')) return 'profiler';
  if (url.includes('/node_modules/fabric-shim/')) return 'shim';
  if (url.includes('/node_modules/fabric-contract-api/') || url.includes('/node_modules/fabric-shim-api/')) return 'contractApi';
  if (url.includes('/node_modules/@grpc/')) return 'grpc';
  if (url.includes('protobuf') || url.includes('/node_modules/@hyperledger/fabric-protos/') || url.includes('/node_modules/fabric-protos/')) return 'protobuf';
  if (url.includes('/node_modules/@kyc-ledger/')) return 'kycLibs';
  if (url.includes('/node_modules/zod/')) return 'validation';
  if (url.includes('/node_modules/@noble/') || url.includes('/node_modules/tiny-secp256k1/')) return 'curves';
  if (url.startsWith('wasm://')) return 'curves';
  if (SHIM_LIBRARIES.some((lib) => url.includes(`/node_modules/${lib}`))) return 'shimDeps';
  if (url.includes('/node_modules/')) return 'other';
  return 'ours';
}

/**
 * Milliseconds of samples per category (idle excluded). Node's built-ins (JSON.parse, Buffer, crypto
 * hashing) carry no script URL: their time goes to the nearest caller that has one, so JSON.parse
 * called by our code is ours and a socket write under gRPC is gRPC's.
 */
export function splitProfile(profile: CpuProfile): { byCategory: Record<Category, number>; byFunction: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const category = new Map<number, Category>();
  const label = new Map<number, string>();
  const visit = (id: number, inherited: Category) => {
    const node = byId.get(id);
    if (!node) return;
    const name = node.callFrame.functionName;
    const own = name === '(garbage collector)' ? 'gc' : categoryOf(node.callFrame.url);
    const cat = own ?? inherited;
    category.set(id, cat);
    label.set(id, `${cat}: ${name || '(anonymous)'} ${node.callFrame.url.replace(/^.*\/node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}`);
    for (const child of node.children ?? []) visit(child, cat);
  };
  const root = profile.nodes[0];
  if (root) visit(root.id, 'runtime');
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(program)' || category.get(n.id) === 'profiler').map((n) => n.id));
  const byCategory = Object.fromEntries(Object.keys(Categories).map((c) => [c, 0])) as Record<Category, number>;
  const byFunction = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    if (idle.has(id)) return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const cat = category.get(id) ?? 'runtime';
    byCategory[cat] += ms;
    const key = label.get(id) ?? String(id);
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
  });
  return { byCategory, byFunction };
}
