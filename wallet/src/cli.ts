#!/usr/bin/env node
/**
 * kyc-wallet: the person's side of kyc-ledger on the command line. Every command takes --json
 * (machine-readable stdout, errors as {"error":{code,message,details}}). Exit codes: 0 success,
 * 1 the operation failed (coded error), 2 the command was called wrongly.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { KeyKinds, SignatureSchemes, type SignatureScheme } from '@kyc-ledger/crypto';
import { consentToSession, loadTrustedCas, showSession, showSessionFromGateway, type PublishedSignerCheck, type SessionSummary } from './session.js';
import type { GatewayTrustOptions } from './publishedBankTrust.js';
import { openWallet, type Wallet } from './wallet.js';
import { toWalletError, USAGE_ERROR_CODES, WalletError, WalletErrorCodes } from './walletError.js';

interface CommonOptions {
  json?: boolean;
  wallet?: string;
  passphraseFile?: string;
  insecurePlaintext?: boolean;
}

/** What a command prints: `json` with --json, else the human lines (stdout) and notes (stderr). */
interface Output {
  json: unknown;
  human?: string[];
  notes?: string[];
}

const SCHEMES = Object.values(SignatureSchemes) as string[];

function usage(message: string): WalletError {
  return new WalletError(WalletErrorCodes.INVALID_ARGUMENT, message);
}

function readPassphrase(o: CommonOptions): string | undefined {
  if (o.passphraseFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(o.passphraseFile, 'utf8');
    } catch (e) {
      throw usage(`cannot read the passphrase file: ${(e as Error).message}`);
    }
    return text.replace(/\r?\n$/, '');
  }
  const env = process.env.KYC_WALLET_PASSPHRASE;
  return env === undefined || env === '' ? undefined : env;
}

async function walletFor(o: CommonOptions, create = false): Promise<Wallet> {
  const opts: Parameters<typeof openWallet>[0] = { create, insecurePlaintext: o.insecurePlaintext === true };
  if (o.wallet !== undefined) opts.path = o.wallet;
  const passphrase = readPassphrase(o);
  if (passphrase !== undefined) opts.passphrase = passphrase;
  return openWallet(opts);
}

function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (e) {
    throw usage(`cannot read ${what} ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw usage(`${what} ${file} is not JSON: ${(e as Error).message}`);
  }
}

function readUri(uri: string): string {
  if (uri !== '-') return uri;
  return readFileSync(0, 'utf8').trim();
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function topicList(value: string): string[] {
  const topics = value.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (topics.length === 0) throw new InvalidArgumentError('give at least one claim topic, comma-separated');
  return topics;
}

function formatDuration(seconds: number): string {
  if (seconds <= 0) return 'expired';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h > 0 ? `${h}h` : '', m > 0 ? `${m}m` : '', `${s}s`].filter(Boolean).join(' ');
}

function sessionLines(s: SessionSummary): string[] {
  return [
    `${s.bank.name} (${s.bank.mspId}) asks you to share:`,
    ...s.fields.map((f) => `  - ${f}`),
    `claim topics: ${s.claimTopics.length > 0 ? s.claimTopics.join(', ') : '(none)'}`,
    `network:      ${s.network}`,
    `expires:      ${s.expiresAt} (in ${formatDuration(s.expiresInSeconds)})`,
    `answer goes to: ${s.submitUrl}`,
    `signed by:    ${s.signer.subject.replace(/\n/g, ', ')}`,
    `issued by:    ${s.signer.issuer.replace(/\n/g, ', ')}`,
    `session id:   ${s.sessionId}`,
  ];
}

interface BankTrustOptions {
  trust: string[];
  gateway?: string;
  pins?: string;
  repin?: boolean;
}

/** Adds the options that say how the bank of a session is trusted. */
function withBankTrust(cmd: Command): Command {
  return cmd
    .option('--gateway <url>', 'any member\'s gateway to fetch the bank\'s published session certificate from (default: $KYC_WALLET_GATEWAY)')
    .option('--pins <file>', 'bank CA pins, trusted on first use (default: $KYC_WALLET_PINS, else ~/.kyc-ledger/bank-pins.json)')
    .option('--repin', 'accept a bank CA that differs from the pinned one (only after checking its fingerprint with the bank)')
    .option('--trust <mspId=ca.pem>', 'override: CA certificate(s) trusted for a bank MSP, instead of the published certificate; repeatable', collect, []);
}

/** `--trust` files when given (explicit override), else the published certificate through a gateway. */
function gatewayTrust(o: BankTrustOptions): GatewayTrustOptions | undefined {
  if (o.trust.length > 0) return undefined;
  const gatewayUrl = o.gateway ?? (process.env.KYC_WALLET_GATEWAY || undefined);
  if (gatewayUrl === undefined) throw usage('give --gateway <url> (any member\'s gateway; or set KYC_WALLET_GATEWAY) to check the bank from its published certificate, or --trust <mspId=ca.pem>');
  return { gatewayUrl, ...(o.pins !== undefined && { pinsFile: o.pins }), repin: o.repin === true };
}

function pinNotes(mspId: string, p: PublishedSignerCheck | undefined): string[] {
  if (!p) return [];
  if (p.pin === 'new') return [`note: first use of ${mspId}: pinned its CA ${p.caFingerprint256} (from ${p.gatewayUrl}); compare it with the fingerprint the bank gives you`];
  if (p.pin === 'repinned') return [`WARNING: ${mspId}'s CA changed from ${p.previousCaFingerprint256} to ${p.caFingerprint256}; the new one is pinned now`];
  return [];
}

function print(o: CommonOptions, out: Output): void {
  if (o.json) {
    process.stdout.write(`${JSON.stringify(out.json, null, 2)}\n`);
    return;
  }
  for (const note of out.notes ?? []) process.stderr.write(`${note}\n`);
  const lines = out.human ?? [JSON.stringify(out.json, null, 2)];
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}

function fail(json: boolean, error: WalletError): void {
  const body: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.details !== undefined) body.details = error.details;
  if (json) {
    process.stdout.write(`${JSON.stringify({ error: body }, null, 2)}\n`);
  } else {
    process.stderr.write(`kyc-wallet: error ${error.code}: ${error.message}\n`);
    if (error.code === WalletErrorCodes.SUBMIT_REJECTED && error.details !== undefined) process.stderr.write(`${JSON.stringify(error.details, null, 2)}\n`);
  }
  process.exitCode = USAGE_ERROR_CODES.includes(error.code) ? 2 : 1;
}

/** Wraps an action: prints its output, or its coded error with the right exit code. */
function action<A extends unknown[]>(fn: (...args: A) => Promise<Output> | Output) {
  return async (...args: A): Promise<void> => {
    const command = args[args.length - 1] as Command;
    const o = command.optsWithGlobals<CommonOptions>();
    try {
      print(o, await fn(...args));
    } catch (e) {
      fail(o.json === true, toWalletError(e));
    }
  };
}

function withCommon(cmd: Command, walletOptions = true): Command {
  cmd.option('--json', 'print the result (or the error) as JSON on stdout');
  if (walletOptions) {
    cmd
      .option('--wallet <file>', 'wallet file (default: $KYC_WALLET, else ~/.kyc-ledger/wallet.json)')
      .option('--passphrase-file <file>', 'read the passphrase from this file (default: $KYC_WALLET_PASSPHRASE)')
      .option('--insecure-plaintext', 'TESTS ONLY: keep the wallet unencrypted (a plaintext wallet only opens with this flag)');
  }
  return cmd;
}

function schemeOption(): Option {
  return new Option('--scheme <scheme>', 'signature scheme (default: the key kind\'s default)').choices(SCHEMES);
}

export function buildProgram(argv: readonly string[] = process.argv): Command {
  const program = new Command()
    .name('kyc-wallet')
    .description('The person\'s kyc-ledger wallet: keys, commitments, attestation requests and consent to bank sessions')
    .option('--json', 'print the result (or the error) as JSON on stdout')
    .showHelpAfterError()
    .exitOverride();
  // Keep stdout machine-readable under --json: commander's own messages are replaced by ours.
  const wantsJson = argv.includes('--json');
  program.configureOutput({ writeErr: (text) => (wantsJson ? undefined : process.stderr.write(text)) });

  const keys = program.command('keys').description('manage signing keys');

  withCommon(
    keys
      .command('generate')
      .description('generate a key pair and store it')
      .addOption(new Option('--kind <kind>', 'key kind').choices(KeyKinds as readonly string[] as string[]).makeOptionMandatory())
      .option('--chain <caip2>', 'CAIP-2 chain of the account (default per kind: eip155:1, bitcoin mainnet, solana mainnet, passkey:p256)')
      .option('--label <label>', 'name of the key in the wallet (default <kind>-<n>)'),
  ).action(
    action(async (o: CommonOptions & { kind: string; chain?: string; label?: string }) => {
      const wallet = await walletFor(o, true);
      const key = await wallet.createKey({ kind: o.kind, ...(o.chain !== undefined && { chain: o.chain }), ...(o.label !== undefined && { label: o.label }) });
      return { json: key, human: [`created key ${key.label}: ${key.kind} ${key.accountId}`] };
    }),
  );

  withCommon(
    keys
      .command('import')
      .description('import an existing 32-byte private key (hex) — never pass it on the command line')
      .addOption(new Option('--kind <kind>', 'key kind').choices(KeyKinds as readonly string[] as string[]).makeOptionMandatory())
      .option('--private-key-file <file>', 'file holding the private key as hex')
      .option('--private-key-stdin', 'read the private key (hex) from stdin')
      .option('--chain <caip2>', 'CAIP-2 chain of the account')
      .option('--label <label>', 'name of the key in the wallet'),
  ).action(
    action(async (o: CommonOptions & { kind: string; privateKeyFile?: string; privateKeyStdin?: boolean; chain?: string; label?: string }) => {
      if ((o.privateKeyFile === undefined) === (o.privateKeyStdin !== true)) throw usage('give exactly one of --private-key-file and --private-key-stdin');
      let privateKey: string;
      try {
        privateKey = readFileSync(o.privateKeyFile ?? 0, 'utf8').trim();
      } catch (e) {
        throw usage(`cannot read the private key: ${(e as Error).message}`);
      }
      const wallet = await walletFor(o, true);
      const key = await wallet.importKey({ kind: o.kind, privateKey, ...(o.chain !== undefined && { chain: o.chain }), ...(o.label !== undefined && { label: o.label }) });
      return { json: key, human: [`imported key ${key.label}: ${key.kind} ${key.accountId}`] };
    }),
  );

  withCommon(keys.command('list').description('list the keys (no passphrase needed)')).action(
    action(async (o: CommonOptions) => {
      const list = (await walletFor(o)).listKeys();
      return { json: { keys: list }, human: list.length === 0 ? ['(no keys)'] : list.map((k) => `${k.label}\t${k.kind}\t${k.accountId}`) };
    }),
  );

  withCommon(
    program
      .command('commit')
      .description('commit to identity field values: canonicalise, salt each field, compute the root; values and salts stay in the wallet')
      .requiredOption('--fields <file>', 'JSON object of field name to value (- for stdin)')
      .option('--label <label>', 'name of the commitment bundle (default c-<root prefix>)'),
  ).action(
    action(async (o: CommonOptions & { fields: string; label?: string }) => {
      const fields = readJsonFile(o.fields, 'fields file');
      if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw usage('the fields file must hold a JSON object of field name to value');
      const wallet = await walletFor(o, true);
      const result = await wallet.commit({ fields: fields as Record<string, unknown>, ...(o.label !== undefined && { label: o.label }) });
      return {
        json: result,
        human: [`commitment ${result.label}`, `root ${result.root}`, ...Object.entries(result.leaves).map(([name, leaf]) => `  ${name}\t${leaf}`)],
      };
    }),
  );

  const commitments = program.command('commitments').description('commitment bundles');
  withCommon(commitments.command('list').description('list the commitment bundles (no values; no passphrase needed)')).action(
    action(async (o: CommonOptions) => {
      const list = (await walletFor(o)).listCommitments();
      return {
        json: { commitments: list },
        human: list.length === 0 ? ['(no commitments)'] : list.map((c) => `${c.label}\t${c.root}\t${c.fieldNames.join(',')}\t${c.attestation ? `attestation ${c.attestation.id}` : '(not attached)'}`),
      };
    }),
  );

  withCommon(
    program
      .command('request')
      .description('sign an attestation request for a certifier (prints what the certifier registers)')
      .requiredOption('--key <key>', 'label or account id of the subject key')
      .requiredOption('--certifier <mspId>', 'MSP id of the certification body')
      .requiredOption('--topics <list>', 'claim topics, comma-separated', topicList)
      .requiredOption('--network <network>', 'consortium channel, e.g. kyc-ledger/kyc')
      .requiredOption('--commitment <label>', 'commitment bundle to attest')
      .addOption(schemeOption()),
  ).action(
    action(async (o: CommonOptions & { key: string; certifier: string; topics: string[]; network: string; commitment: string; scheme?: SignatureScheme }) => {
      const wallet = await walletFor(o);
      const result = await wallet.requestAttestation({
        key: o.key,
        certifier: o.certifier,
        claimTopics: o.topics,
        network: o.network,
        commitment: o.commitment,
        ...(o.scheme !== undefined && { scheme: o.scheme }),
      });
      return { json: result, notes: [`attestation request for ${o.certifier}; the attestation id will be ${result.attestationId}`] };
    }),
  );

  withCommon(
    program
      .command('attach')
      .description('remember which attestation a commitment bundle belongs to')
      .requiredOption('--commitment <label>', 'commitment bundle')
      .requiredOption('--attestation <id>', 'attestation id from the certifier')
      .option('--key <key>', 'subject key (known already when this wallet made the request)')
      .option('--network <network>', 'network of the attestation (known already when this wallet made the request)'),
  ).action(
    action(async (o: CommonOptions & { commitment: string; attestation: string; key?: string; network?: string }) => {
      const wallet = await walletFor(o);
      const info = await wallet.attach({
        commitment: o.commitment,
        attestationId: o.attestation,
        ...(o.key !== undefined && { key: o.key }),
        ...(o.network !== undefined && { network: o.network }),
      });
      return { json: info, human: [`commitment ${info.label} belongs to attestation ${o.attestation}${info.attestation?.subject ? ` of ${info.attestation.subject}` : ''}`] };
    }),
  );

  const session = program.command('session').description('bank verification sessions');
  withBankTrust(
    withCommon(
      session
        .command('show')
        .description('verify a bank session (QR / deep link) and show who asks for what')
        .argument('<uri>', 'kycledger://session?d=… (- for stdin)'),
      false,
    ),
  ).action(
    action(async (uri: string, o: CommonOptions & BankTrustOptions) => {
      const gateway = gatewayTrust(o);
      if (!gateway) {
        const { summary } = showSession(readUri(uri), { trustedCas: loadTrustedCas(o.trust) });
        return { json: summary, human: sessionLines(summary) };
      }
      const { summary, published } = await showSessionFromGateway(readUri(uri), gateway);
      return { json: { ...summary, published }, human: sessionLines(summary), notes: pinNotes(summary.bank.mspId, published) };
    }),
  );

  withBankTrust(withCommon(
    program
      .command('consent')
      .description('consent to a bank session: sign the consent and disclose exactly the requested fields')
      .argument('<uri>', 'kycledger://session?d=… (- for stdin)')
      .requiredOption('--commitment <label>', 'commitment bundle to disclose from')
      .option('--key <key>', 'consenting key (default: the attestation\'s subject)')
      .option('--submit', 'POST the submission to the session\'s submit URL and print the answer')
      .addOption(schemeOption()),
  )).action(
    action(async (uri: string, o: CommonOptions & BankTrustOptions & { commitment: string; key?: string; submit?: boolean; scheme?: SignatureScheme }) => {
      const gateway = gatewayTrust(o);
      const trust = gateway ? { gateway } : { trustedCas: loadTrustedCas(o.trust) };
      const input = readUri(uri);
      const wallet = await walletFor(o);
      const result = await consentToSession(wallet, input, {
        ...trust,
        commitment: o.commitment,
        submit: o.submit === true,
        ...(o.key !== undefined && { key: o.key }),
        ...(o.scheme !== undefined && { scheme: o.scheme }),
      });
      const notes = [...pinNotes(result.session.bank.mspId, result.published), ...sessionLines(result.session), `consent signed by ${result.submission.consent.address}`];
      if (!result.response) return { json: result, notes, human: [JSON.stringify(result.submission, null, 2)] };
      const body = typeof result.response.body === 'string' ? result.response.body : JSON.stringify(result.response.body, null, 2);
      return { json: result, notes, human: [`submitted to ${result.session.submitUrl}: HTTP ${result.response.status}`, body] };
    }),
  );

  withCommon(
    program
      .command('sign-digest')
      .description('sign a registration digest with an offline key (compliance officer approval)')
      .requiredOption('--key <key>', 'label or account id of the officer key')
      .addOption(new Option('--purpose <purpose>', 'what the signature approves').choices(['officer-approval']).makeOptionMandatory())
      .requiredOption('--asset <id>', 'asset id')
      .requiredOption('--digest <hex>', 'registration digest, 32 bytes hex')
      .requiredOption('--network <network>', 'consortium channel, e.g. kyc-ledger/kyc')
      .addOption(schemeOption()),
  ).action(
    action(async (o: CommonOptions & { key: string; asset: string; digest: string; network: string; scheme?: SignatureScheme }) => {
      const wallet = await walletFor(o);
      const result = wallet.signOfficerApproval({ key: o.key, asset: o.asset, digest: o.digest, network: o.network, ...(o.scheme !== undefined && { scheme: o.scheme }) });
      return { json: result };
    }),
  );

  return program;
}

/** Runs the CLI on `argv` (node, script, ...args). */
export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram(argv);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') {
        process.exitCode = 0;
        return;
      }
      const message = e.code === 'commander.help' ? 'a command is required (see --help)' : e.message.replace(/^error: /, '');
      fail(argv.includes('--json'), new WalletError('USAGE', message, { commanderCode: e.code }));
      return;
    }
    fail(argv.includes('--json'), toWalletError(e));
  }
}

if (require.main === module) void main();
