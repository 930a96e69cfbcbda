import { assetIdSchema } from '@kyc-ledger/api';
import { normaliseAccountId } from '@kyc-ledger/crypto';
import { z } from 'zod';

const asset = assetIdSchema;

/** A CAIP-10 account id, normalised as the ledger normalises it (so any spelling finds the same entry). */
const address = z
  .string()
  .min(1, 'required')
  .max(256)
  .transform((value, ctx) => {
    try {
      return normaliseAccountId(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
const requestId = z.string().min(1, 'required').max(128);

/*
 * proto3 sends absent fields as their defaults ('' and 0), so "required" means "not the default".
 */

export const getAddressSchema = z.object({ asset, address });

export const listAddressesSchema = z.object({
  asset,
  pageSize: z.number().int().min(0).max(1000, 'at most 1000'),
  pageToken: z.string().max(4096),
});

export const watchChangesSchema = z.object({ asset, resumeToken: z.string().max(4096) });

export const chainSpecSchema = z.object({
  chainId: z.number().int().positive('required (the EVM chain id)'),
  rpcUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }),
  contractAddress: z.string().regex(/^0x[0-9a-fA-F]{40}$/, '0x and 40 hex digits'),
  confirmations: z.number().int().min(0).max(1000),
});

export const linkChainSchema = z.object({
  requestId,
  asset,
  chain: z.unknown().refine((c) => c !== null && c !== undefined, 'required').pipe(chainSpecSchema),
});

export const unlinkChainSchema = z.object({ requestId, linkId: z.string().min(1, 'required').max(64) });

export const getSyncStatusSchema = z.object({ linkId: z.string().min(1, 'required').max(64) });

export const listLinksSchema = z.object({ asset: z.union([z.literal(''), assetIdSchema]) });
