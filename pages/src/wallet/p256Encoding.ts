/**
 * Byte encodings between WebCrypto's P-256 and the project's formats. Pure: no DOM, no WebCrypto,
 * so unit tests run it in Node.
 */

/** Length of one P-256 scalar (r, s, x, y) in bytes. */
const SCALAR = 32;

/** Minimal DER INTEGER of a big-endian unsigned number: leading zeros dropped, a 0x00 added when the top bit is set. */
function derInteger(value: Uint8Array): Uint8Array {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const body = value.subarray(start);
  const pad = ((body[0] as number) & 0x80) !== 0 ? 1 : 0;
  const out = new Uint8Array(2 + pad + body.length);
  out[0] = 0x02;
  out[1] = pad + body.length;
  out.set(body, 2 + pad);
  return out;
}

/**
 * WebCrypto's ECDSA signature (IEEE P1363: r ‖ s, 32 bytes each) as the DER SEQUENCE the
 * p256-webauthn verifier wants (what a real authenticator returns). High S stays as it is: the
 * verifier accepts it, as authenticators do not normalise S.
 */
export function p1363ToDer(signature: Uint8Array): Uint8Array {
  if (signature.length !== 2 * SCALAR) throw new RangeError(`a P-256 P1363 signature has ${2 * SCALAR} bytes, got ${signature.length}`);
  const r = derInteger(signature.subarray(0, SCALAR));
  const s = derInteger(signature.subarray(SCALAR));
  // At most 2 × 35 bytes: the length always fits the short form.
  const out = new Uint8Array(2 + r.length + s.length);
  out[0] = 0x30;
  out[1] = r.length + s.length;
  out.set(r, 2);
  out.set(s, 2 + r.length);
  return out;
}

/** The 33-byte compressed form (SEC1) of an uncompressed P-256 point (0x04 ‖ x ‖ y, as WebCrypto exports 'raw'). */
export function compressP256(uncompressed: Uint8Array): Uint8Array {
  if (uncompressed.length !== 1 + 2 * SCALAR || uncompressed[0] !== 0x04) throw new RangeError('expected an uncompressed P-256 point (65 bytes starting 0x04)');
  const out = new Uint8Array(1 + SCALAR);
  out[0] = ((uncompressed[2 * SCALAR] as number) & 1) === 0 ? 0x02 : 0x03;
  out.set(uncompressed.subarray(1, 1 + SCALAR), 1);
  return out;
}

/**
 * A DER ECDSA P-256 signature (what Fabric identities and the bank's session carry) as the r ‖ s
 * form WebCrypto verifies. Strict: one SEQUENCE of two minimal positive INTEGERs below 2^256 and
 * nothing after it; throws RangeError otherwise.
 */
export function derToP1363(der: Uint8Array): Uint8Array {
  const fail = (why: string): never => {
    throw new RangeError(`not a DER ECDSA P-256 signature: ${why}`);
  };
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) fail('bad SEQUENCE');
  const out = new Uint8Array(2 * SCALAR);
  let at = 2;
  for (let part = 0; part < 2; part++) {
    if (der[at] !== 0x02) fail('INTEGER expected');
    const length = der[at + 1] as number;
    const body = der.subarray(at + 2, at + 2 + length);
    if (length === 0 || body.length !== length) fail('truncated INTEGER');
    if (((body[0] as number) & 0x80) !== 0) fail('negative INTEGER');
    if (length > 1 && body[0] === 0 && ((body[1] as number) & 0x80) === 0) fail('non-minimal INTEGER');
    const value = body[0] === 0 && length > 1 ? body.subarray(1) : body;
    if (value.length > SCALAR) fail('INTEGER too large');
    out.set(value, part * SCALAR + SCALAR - value.length);
    at += 2 + length;
  }
  if (at !== der.length) fail('trailing bytes');
  return out;
}
