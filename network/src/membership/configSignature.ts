import { createPrivateKey, randomBytes, X509Certificate, createVerify } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { hash, signers } from '@hyperledger/fabric-gateway';
import { common, msp } from '@hyperledger/fabric-protos';
import { NetworkError } from '../errors';

/** Who made a detached signature, read from its signature header. */
export interface SignatureSigner {
  mspId: string;
  certificate: string;
}

function onlyFile(dir: string): string {
  const name = readdirSync(dir).sort()[0];
  if (!name) throw new NetworkError('CONFIG_INVALID', `no file in ${dir}`);
  return path.join(dir, name);
}

/**
 * A detached ConfigSignature over a config update, made with one admin's own key: the signature
 * header (creator + nonce) and an ECDSA-SHA256 signature (low-S, as Fabric requires) over
 * header ‖ config update bytes — exactly what the orderer checks against the channel's policies.
 */
export async function signConfigUpdate(update: Uint8Array, mspId: string, adminMsp: string): Promise<Buffer> {
  const certificate = readFileSync(onlyFile(path.join(adminMsp, 'signcerts')));
  const key = createPrivateKey(readFileSync(onlyFile(path.join(adminMsp, 'keystore'))));
  const creator = new msp.SerializedIdentity();
  creator.setMspid(mspId);
  creator.setIdBytes(certificate);
  const header = new common.SignatureHeader();
  header.setCreator(creator.serializeBinary());
  // The nonce keeps two signatures of the same update by the same admin distinct (replay protection).
  header.setNonce(randomBytes(24));
  const headerBytes = header.serializeBinary();
  const signer = signers.newPrivateKeySigner(key);
  const signature = await signer(hash.sha256(Buffer.concat([headerBytes, update])));
  const result = new common.ConfigSignature();
  result.setSignatureHeader(headerBytes);
  result.setSignature(signature);
  return Buffer.from(result.serializeBinary());
}

/** Decodes a signature file; SIGNATURE_INVALID when it is not a ConfigSignature. */
export function parseConfigSignature(bytes: Uint8Array, source: string): { signature: common.ConfigSignature; signer: SignatureSigner } {
  try {
    const signature = common.ConfigSignature.deserializeBinary(bytes);
    const header = common.SignatureHeader.deserializeBinary(signature.getSignatureHeader_asU8());
    const creator = msp.SerializedIdentity.deserializeBinary(header.getCreator_asU8());
    const certificate = Buffer.from(creator.getIdBytes_asU8()).toString('utf8');
    if (!creator.getMspid() || !certificate.includes('BEGIN CERTIFICATE')) throw new Error('no creator identity');
    // A certificate that does not parse is refused here, coded, not later as a raw crypto error.
    new X509Certificate(certificate);
    return { signature, signer: { mspId: creator.getMspid(), certificate } };
  } catch (cause) {
    throw new NetworkError('SIGNATURE_INVALID', `${source} is not a config update signature`, { cause, details: { source } });
  }
}

/**
 * Checks a signature before it is counted: made over this very update, by a certificate issued by
 * one of the org's CAs in the channel config, with the admin OU. The orderer checks the same; this
 * lets the tool say which file is wrong instead of "policy not satisfied".
 */
export function verifyConfigSignature(signature: common.ConfigSignature, signer: SignatureSigner, update: Uint8Array, orgRootCerts: readonly string[], source: string): void {
  const cert = new X509Certificate(signer.certificate);
  const verify = createVerify('sha256');
  verify.update(Buffer.concat([signature.getSignatureHeader_asU8(), update]));
  if (!verify.verify(cert.publicKey, Buffer.from(signature.getSignature_asU8()))) {
    throw new NetworkError('SIGNATURE_INVALID', `${source} (${signer.mspId}) does not sign this update; was it made for another (or an older) update file?`, { details: { source, mspId: signer.mspId } });
  }
  const issued = orgRootCerts.some((pem) => {
    const ca = new X509Certificate(pem);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  });
  if (!issued) {
    throw new NetworkError('SIGNATURE_INVALID', `${source}: the signer's certificate was not issued by ${signer.mspId}'s CA in the channel config`, { details: { source, mspId: signer.mspId } });
  }
  if (!/^OU=admin$/m.test(cert.subject)) {
    throw new NetworkError('SIGNATURE_INVALID', `${source}: the signer is not an admin of ${signer.mspId} (subject ${cert.subject.replace(/\n/g, ', ')})`, { details: { source, mspId: signer.mspId } });
  }
}
