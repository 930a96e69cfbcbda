import { createHmac, timingSafeEqual } from 'node:crypto';
import { AdapterErrorCodes, GatewayErrorCodes, KycError } from '@kyc-ledger/api';

/** What a watch resume token says: the stream resumes after `seq` of `asset`. */
export interface ResumePosition {
  asset: string;
  seq: number;
}

/** What a ListAddresses page token says: the next page starts after `after`. */
export interface PagePosition {
  asset: string;
  after: string;
  /** The asset's head when the first page was read (every page answers it, and its resume token). */
  head: number;
}

interface TokenBody {
  /** Kind: 'w' watch, 'p' page. */
  k: 'w' | 'p';
  a: string;
  s: number;
  f?: string;
  /** Issued at, ms since the epoch. */
  t: number;
}

const MAC_BYTES = 16;

/**
 * Opaque resume and page tokens: base64url of a small JSON body and an HMAC-SHA256 over it (under
 * a server secret), so a client can neither forge nor edit one. A token is INVALID_ARGUMENT when
 * it does not decode, its MAC fails, it is of the other kind or for another asset; it is
 * RESUME_TOKEN_EXPIRED when it was issued more than `ttlMs` ago (every stream message carries a
 * fresh one, so only a client away that long sees it) or, for a watch token, when it points past
 * the store's head (the store was rebuilt from an older ledger copy): the client lists again.
 */
export class TokenCodec {
  constructor(private readonly secret: Buffer, private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  /** A token to resume watching `asset` after `seq`. */
  resumeToken(asset: string, seq: number): string {
    return this.encode({ k: 'w', a: asset, s: seq, t: this.now() });
  }

  /** A token for the ListAddresses page after `after`. */
  pageToken(position: PagePosition): string {
    return this.encode({ k: 'p', a: position.asset, s: position.head, f: position.after, t: this.now() });
  }

  /** Where `token` resumes; `head` is the asset's newest sequence in the store. */
  parseResumeToken(token: string, asset: string, head: number): ResumePosition {
    const body = this.decode(token, 'w', asset, 'resume_token');
    if (body.s > head) {
      throw expired('resume_token', `the token points after the adapter's last change of ${asset} (${body.s} > ${head})`);
    }
    return { asset, seq: body.s };
  }

  /** Where the page of `token` starts. */
  parsePageToken(token: string, asset: string): PagePosition {
    const body = this.decode(token, 'p', asset, 'page_token');
    return { asset, after: body.f ?? '', head: body.s };
  }

  private encode(body: TokenBody): string {
    const data = Buffer.from(JSON.stringify(body), 'utf8');
    return Buffer.concat([this.mac(data), data]).toString('base64url');
  }

  private decode(token: string, kind: TokenBody['k'], asset: string, field: string): TokenBody {
    const raw = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url') : Buffer.alloc(0);
    const mac = raw.subarray(0, MAC_BYTES);
    const data = raw.subarray(MAC_BYTES);
    if (raw.length <= MAC_BYTES || !timingSafeEqual(mac, this.mac(data))) throw invalid(field, 'not a token this adapter issued');
    let body: TokenBody;
    try {
      body = JSON.parse(data.toString('utf8')) as TokenBody;
    } catch {
      throw invalid(field, 'not a token this adapter issued');
    }
    if (body.k !== kind) throw invalid(field, kind === 'w' ? 'a page token is not a resume token' : 'a resume token is not a page token');
    if (body.a !== asset) throw invalid(field, 'the token is for another asset');
    if (this.now() - body.t > this.ttlMs) throw expired(field, `the token was issued more than ${Math.round(this.ttlMs / 1000)} s ago`);
    return body;
  }

  private mac(data: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(data).digest().subarray(0, MAC_BYTES);
  }
}

function invalid(field: string, problem: string): KycError {
  return new KycError(GatewayErrorCodes.INVALID_ARGUMENT, `invalid ${field}: ${problem}`, { details: { problems: [{ field, problem }] } });
}

function expired(field: string, why: string): KycError {
  return new KycError(AdapterErrorCodes.RESUME_TOKEN_EXPIRED, `${field} expired: ${why}; list the addresses again (ListAddresses) and watch from its resume_token`, {
    details: { field },
  });
}
