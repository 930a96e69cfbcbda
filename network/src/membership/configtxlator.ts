import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NetworkError } from '../errors';
import { run } from '../exec';
import { binaryPath, type FabricInstall } from '../fabricBinaries';

/** The protobuf message types this tool converts. */
export type ProtoType = 'common.Block' | 'common.Config' | 'common.ConfigUpdate';

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kyc-configtx-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Protobuf bytes → Fabric's JSON form of the message (configtxlator proto_decode). */
export function protoDecode(fabric: FabricInstall, type: ProtoType, bytes: Uint8Array): Promise<unknown> {
  return withTempDir(async (dir) => {
    const input = path.join(dir, 'in.pb');
    const output = path.join(dir, 'out.json');
    await writeFile(input, bytes);
    // An explicit output file: configtxlator's default opens /dev/stdout, which a pipe may not allow.
    await run(binaryPath(fabric, 'configtxlator'), ['proto_decode', '--input', input, '--type', type, '--output', output]);
    return JSON.parse(await readFile(output, 'utf8')) as unknown;
  });
}

/** Fabric's JSON form → protobuf bytes (configtxlator proto_encode). */
export function protoEncode(fabric: FabricInstall, type: ProtoType, json: unknown): Promise<Buffer> {
  return withTempDir(async (dir) => {
    const input = path.join(dir, 'in.json');
    const output = path.join(dir, 'out.pb');
    await writeFile(input, JSON.stringify(json));
    await run(binaryPath(fabric, 'configtxlator'), ['proto_encode', '--input', input, '--type', type, '--output', output]);
    return readFile(output);
  });
}

/**
 * The ConfigUpdate that turns `original` into `updated` (configtxlator compute_update): its read
 * set pins the versions it was computed from, so the orderer refuses it once the config moved on.
 */
export async function computeUpdate(fabric: FabricInstall, channel: string, original: unknown, updated: unknown): Promise<Buffer> {
  const [before, after] = await Promise.all([protoEncode(fabric, 'common.Config', original), protoEncode(fabric, 'common.Config', updated)]);
  return withTempDir(async (dir) => {
    const files = { original: path.join(dir, 'original.pb'), updated: path.join(dir, 'updated.pb'), output: path.join(dir, 'update.pb') };
    await writeFile(files.original, before);
    await writeFile(files.updated, after);
    try {
      await run(binaryPath(fabric, 'configtxlator'), ['compute_update', '--channel_id', channel, '--original', files.original, '--updated', files.updated, '--output', files.output]);
    } catch (cause) {
      if (/no differences detected/.test(String((cause as Error).message))) {
        throw new NetworkError('CONFIG_UPDATE_INVALID', 'the change is already in the channel config: nothing to update', { cause });
      }
      throw cause;
    }
    return readFile(files.output);
  });
}
