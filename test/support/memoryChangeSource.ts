import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { RegistryChange, RegistryChangesPage, RegistryOp } from '@kyc-ledger/api';
import type { RegistryChangeSource } from '@kyc-ledger/rpc-adapter';

/**
 * A RegistryChangeSource held in memory, behaving like the adapter's store: gapless per-asset
 * sequences from 1, pages in order, listeners told of each new head.
 */
export class MemoryChangeSource implements RegistryChangeSource {
  private readonly byAsset = new Map<string, RegistryChange[]>();
  private readonly listeners = new Set<(asset: string, head: number) => void>();

  constructor(initial: RegistryChange[] = []) {
    for (const change of initial) this.list(change.asset).push(change);
  }

  /** Appends the next change of `asset` and tells the listeners. */
  append(asset: string, op: RegistryOp, address: string): RegistryChange {
    const list = this.list(asset);
    const change: RegistryChange = { asset, seq: list.length + 1, op, address, txId: `tx${list.length + 1}`, at: new Date(0).toISOString() };
    list.push(change);
    for (const listener of this.listeners) listener(asset, change.seq);
    return change;
  }

  all(asset: string): RegistryChange[] {
    return [...this.list(asset)];
  }

  async changes(asset: string, fromSeq: number, limit: number): Promise<RegistryChangesPage> {
    const list = this.list(asset);
    return { asset, head: list.length, changes: list.slice(Math.max(0, fromSeq - 1), Math.max(0, fromSeq - 1) + limit) };
  }

  onChange(listener: (asset: string, head: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private list(asset: string): RegistryChange[] {
    let list = this.byAsset.get(asset);
    if (list === undefined) this.byAsset.set(asset, (list = []));
    return list;
  }
}

/**
 * A change source kept in a JSON file, so a crash test's parent can add changes that a driver in a
 * child process reads; written by rename so a reader never sees half a file.
 */
export class FileChangeSource implements RegistryChangeSource {
  constructor(private readonly file: string) {}

  static write(file: string, changes: RegistryChange[]): void {
    writeFileSync(`${file}.tmp`, JSON.stringify(changes));
    renameSync(`${file}.tmp`, file);
  }

  read(): RegistryChange[] {
    return JSON.parse(readFileSync(this.file, 'utf8')) as RegistryChange[];
  }

  async changes(asset: string, fromSeq: number, limit: number): Promise<RegistryChangesPage> {
    return new MemoryChangeSource(this.read().filter((c) => c.asset === asset)).changes(asset, fromSeq, limit);
  }

  onChange(): () => void {
    return () => undefined;
  }
}
