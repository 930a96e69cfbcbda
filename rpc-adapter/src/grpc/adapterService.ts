import type * as grpc from '@grpc/grpc-js';
import { GatewayErrorCodes, KycError, RegistryOps, type RegistryOp } from '@kyc-ledger/api';
import type { Logger } from 'pino';
import type { LinkStore, ChainLinkRecord } from '../store/linkStore';
import type { RegistryStore } from '../store/registryStore';
import type { SyncStatusSource } from '../syncStatusSource';
import type * as M from './messages';
import type { OrgResolver } from './orgResolver';
import {
  getAddressSchema,
  getSyncStatusSchema,
  linkChainSchema,
  listAddressesSchema,
  listLinksSchema,
  unlinkChainSchema,
} from './requestSchemas';
import type { TokenCodec } from './resumeTokens';
import { parseRequest, toServiceError } from './serviceError';
import { watchChanges } from './watchChanges';

/** What the service reads and writes. */
export interface AdapterServiceDeps {
  store: RegistryStore;
  links: LinkStore;
  syncStatus: SyncStatusSource;
  tokens: TokenCodec;
  orgs: OrgResolver;
  logger: Logger;
  /** Heartbeat interval of WatchChanges streams, ms. */
  heartbeatMs: number;
}

const DEFAULT_PAGE_SIZE = 100;

/** The ledger op's name in the .proto enum. */
export const OP_NAMES: Record<RegistryOp, M.RegistryOpName> = {
  [RegistryOps.AUTHENTICATE]: 'REGISTRY_OP_AUTHENTICATE',
  [RegistryOps.REVOKE]: 'REGISTRY_OP_REVOKE',
  [RegistryOps.FREEZE]: 'REGISTRY_OP_FREEZE',
  [RegistryOps.UNFREEZE]: 'REGISTRY_OP_UNFREEZE',
  [RegistryOps.FREEZE_ASSET]: 'REGISTRY_OP_FREEZE_ASSET',
  [RegistryOps.UNFREEZE_ASSET]: 'REGISTRY_OP_UNFREEZE_ASSET',
};

/** The caller's org, from its TLS client certificate. */
export function callerOrg(call: { getAuthContext(): { sslPeerCertificate?: { raw?: Buffer } } | null }, orgs: OrgResolver): string {
  return orgs.orgOf(call.getAuthContext()?.sslPeerCertificate?.raw);
}

/**
 * FORBIDDEN unless `org` issued `asset`. An asset the store never saw answers the same, so a
 * client cannot learn which assets exist.
 */
export async function requireOwnAsset(store: RegistryStore, org: string, asset: string): Promise<void> {
  if ((await store.issuerOf(asset)) !== org) {
    throw new KycError(GatewayErrorCodes.FORBIDDEN, `asset ${asset} is not an asset of ${org}`, { details: { asset } });
  }
}

function linkMessage(link: ChainLinkRecord, syncStatus: SyncStatusSource): M.ChainLinkMessage {
  return { linkId: link.linkId, asset: link.asset, chain: link.chain, org: link.org, createdAt: link.createdAt, syncAccount: syncStatus.syncAccount?.(link.linkId) ?? '' };
}

/** The RegistryAdapter handlers (see the .proto for what each call does). */
export function createAdapterHandlers(deps: AdapterServiceDeps): grpc.UntypedServiceImplementation {
  const { store, links, syncStatus, tokens, orgs, logger } = deps;
  const logError = (error: unknown) => logger.error({ err: error }, 'call failed');

  function unary<Req, Res>(name: string, handle: (request: Req, org: string) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
    return (call, callback) => {
      let org: string;
      try {
        org = callerOrg(call, orgs);
      } catch (error) {
        callback(toServiceError(error, logError), null);
        return;
      }
      handle(call.request, org).then(
        (answer) => callback(null, answer),
        (error: unknown) => {
          logger.debug({ call: name, org, err: error }, 'call refused');
          callback(toServiceError(error, logError), null);
        },
      );
    };
  }

  async function linkOfOrg(linkId: string, org: string): Promise<ChainLinkRecord> {
    const link = await links.get(linkId);
    // Another org's link answers as no link at all.
    if (!link || link.org !== org) throw new KycError(GatewayErrorCodes.NOT_FOUND, `no link ${linkId}`, { details: { linkId } });
    return link;
  }

  return {
    GetAddress: unary<M.GetAddressRequest, M.AddressStatus>('GetAddress', async (request, org) => {
      const { asset, address } = parseRequest(getAddressSchema, request);
      await requireOwnAsset(store, org, asset);
      const state = (await store.address(asset, address)) ?? { authenticated: false, frozen: false, seq: 0 };
      const assetState = await store.assetState(asset);
      return { asset, address, ...state, assetFrozen: assetState.frozen };
    }),

    ListAddresses: unary<M.ListAddressesRequest, M.ListAddressesResponse>('ListAddresses', async (request, org) => {
      const { asset, pageSize, pageToken } = parseRequest(listAddressesSchema, request);
      await requireOwnAsset(store, org, asset);
      const position = pageToken === '' ? { asset, after: '', head: await store.head(asset) } : tokens.parsePageToken(pageToken, asset);
      const page = await store.listAddresses(asset, position.after, pageSize === 0 ? DEFAULT_PAGE_SIZE : pageSize);
      const assetFrozen = (await store.assetState(asset)).frozen;
      const last = page.addresses.at(-1);
      return {
        addresses: page.addresses.map((a) => ({ asset, address: a.address, authenticated: a.authenticated, frozen: a.frozen, seq: a.seq, assetFrozen })),
        nextPageToken: page.more && last ? tokens.pageToken({ asset, after: last.address, head: position.head }) : '',
        head: position.head,
        resumeToken: tokens.resumeToken(asset, position.head),
      };
    }),

    WatchChanges: (call: grpc.ServerWritableStream<M.WatchChangesRequest, M.WatchChangesResponse>) => {
      void watchChanges(call, deps, logError);
    },

    LinkChain: unary<M.LinkChainRequest, M.ChainLinkMessage>('LinkChain', async (request, org) => {
      const { requestId, asset, chain } = parseRequest(linkChainSchema, request);
      await requireOwnAsset(store, org, asset);
      const link = await links.link(org, requestId, asset, { ...chain, confirmations: Math.max(1, chain.confirmations) });
      logger.info({ org, linkId: link.linkId, asset, chainId: chain.chainId }, 'chain linked');
      return linkMessage(link, syncStatus);
    }),

    UnlinkChain: unary<M.UnlinkChainRequest, M.UnlinkChainResponse>('UnlinkChain', async (request, org) => {
      const { requestId, linkId } = parseRequest(unlinkChainSchema, request);
      const answer = await links.unlink(org, requestId, linkId);
      logger.info({ org, linkId }, 'chain unlinked');
      return answer;
    }),

    GetSyncStatus: unary<M.GetSyncStatusRequest, M.SyncStatusMessage>('GetSyncStatus', async (request, org) => {
      const { linkId } = parseRequest(getSyncStatusSchema, request);
      const link = await linkOfOrg(linkId, org);
      const progress = await syncStatus.progress(linkId);
      const ledgerHead = await store.head(link.asset);
      const appliedSeq = progress?.appliedSeq ?? 0;
      return {
        linkId,
        appliedSeq,
        ledgerHead,
        lag: Math.max(0, ledgerHead - appliedSeq),
        lastError: progress?.lastError ?? '',
        updatedAt: progress?.updatedAt ?? '',
        syncAccount: syncStatus.syncAccount?.(linkId) ?? '',
      };
    }),

    ListLinks: unary<M.ListLinksRequest, M.ListLinksResponse>('ListLinks', async (request, org) => {
      const { asset } = parseRequest(listLinksSchema, request);
      const mine = await links.list(org);
      return { links: mine.filter((l) => asset === '' || l.asset === asset).map((l) => linkMessage(l, syncStatus)) };
    }),
  };
}
