import { z } from 'zod';
import { AccountIdSchema, AttestationIdSchema, CountryCodeSchema, Hex64, SignatureEnvelopeSchema, UtcTimestampSchema } from './commonSchemas';
import { named } from './schemaRegistry';

// The chaincode's rules (chaincode/src/investorModel.ts); it checks them again.
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const MSP_ID = /^[A-Za-z][A-Za-z0-9.-]{0,63}$/;

export const AssetIdSchema = z.string().regex(ID, 'must be 1-128 characters of [A-Za-z0-9._:-]').describe('asset id');
export const InvestorIdSchema = z.string().regex(ID, 'must be 1-128 characters of [A-Za-z0-9._:-]').describe('the issuer\'s opaque investor reference');
export const MspIdSchema = z.string().regex(MSP_ID, 'must be an MSP ID');
export const AmountSchema = z.string().regex(/^(0|[1-9][0-9]{0,38})$/, 'must be a decimal integer in base units').describe('amount in base units');

export const OfficerSetSchema = named(
  'OfficerSet',
  z.strictObject({
    accounts: z.array(AccountIdSchema).min(1).max(32).describe('the compliance officers\' offline keys as CAIP-10 account ids'),
    threshold: z.number().int().min(1).max(32).describe('M: distinct current officers that must sign'),
  }),
);

export const ApprovalSchema = named(
  'OfficerApproval',
  z.strictObject({ officer: AccountIdSchema, signature: SignatureEnvelopeSchema.describe('the officer\'s signature of the officer-approval statement over the digest') }),
);
const Approvals = z.array(ApprovalSchema).min(1).max(64);

export const AssetInputSchema = named('AssetInput', z.strictObject({ id: AssetIdSchema, name: z.string().min(1).max(128), officers: OfficerSetSchema }));
export const AssetParamsSchema = z.strictObject({ asset: AssetIdSchema });
export const AddressParamsSchema = z.strictObject({ asset: AssetIdSchema, address: AccountIdSchema });
export const HashParamsSchema = z.strictObject({ hash: Hex64 });
export const DecisionParamsSchema = z.strictObject({ asset: AssetIdSchema, id: Hex64 });
export const InvestorParamsSchema = z.strictObject({ certifier: MspIdSchema, id: InvestorIdSchema });
export const CodeParamsSchema = z.strictObject({ code: z.string().regex(/^[0-9]{1,3}$/, 'must be a restriction code 0-255') });
export const LocaleQuerySchema = z.strictObject({ locale: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a locale such as en or de-CH').optional() });

/**
 * Any JSON object: the chaincode validates a rule set and answers every problem in one
 * INVALID_ARGUMENT. The document describes it as SecuritiesRuleSetInput.
 */
export const RuleSetSchema = z.record(z.string(), z.unknown());

export const ApprovalRequestSchema = named(
  'ApprovalRequest',
  z.discriminatedUnion('action', [
    z.strictObject({ action: z.literal('register'), address: AccountIdSchema, investor: InvestorIdSchema, certifier: MspIdSchema, attestationId: AttestationIdSchema }),
    z.strictObject({ action: z.literal('recover'), from: AccountIdSchema, to: AccountIdSchema, attestationId: AttestationIdSchema }),
    z.strictObject({ action: z.literal('unfreezeAddress'), address: AccountIdSchema }),
    z.strictObject({ action: z.literal('unfreezeAsset') }),
    z.strictObject({ action: z.literal('changeOfficers'), officers: OfficerSetSchema }),
  ]),
  'An action needing M-of-N officer approvals; the answer is the digest each officer signs offline (kyc-wallet sign-digest)',
);

export const RegistrationRequestSchema = named(
  'RegistrationRequest',
  z.strictObject({ address: AccountIdSchema, investor: InvestorIdSchema, certifier: MspIdSchema, attestationId: AttestationIdSchema, approvals: Approvals }),
);
export const ApprovalsBodySchema = named('Approvals', z.strictObject({ approvals: Approvals }));
export const RecoveryRequestSchema = named('RecoveryRequest', z.strictObject({ to: AccountIdSchema, attestationId: AttestationIdSchema, approvals: Approvals }));
export const OfficerChangeSchema = named('OfficerChange', z.strictObject({ officers: OfficerSetSchema, approvals: Approvals }));

export const InvestorRecordSchema = named(
  'InvestorRecord',
  z.strictObject({
    id: InvestorIdSchema,
    certifier: MspIdSchema.describe('the certifier that attested the investor; the record is shared with it only'),
    jurisdiction: CountryCodeSchema,
    investorType: z.enum(['retail', 'accredited', 'qualified', 'professional', 'institutional']),
    entityType: z.enum(['individual', 'corporation', 'trust', 'fund', 'partnership']),
    accreditationExpiresAt: UtcTimestampSchema.optional(),
    riskTier: z.enum(['low', 'medium', 'high']),
    pep: z.boolean(),
    amlScreenedAt: UtcTimestampSchema,
    kycVerifiedAt: UtcTimestampSchema,
  }),
  'Personal attributes the rules need; sent to the ledger as transient data into the issuer×certifier private collection, never into a block',
);

export const TransferRequestSchema = named(
  'TransferRequest',
  z.strictObject({ from: AccountIdSchema.nullable().optional().describe('absent or null for an issuance'), to: AccountIdSchema, amount: AmountSchema }),
);
export const TransferCheckRequestSchema = named(
  'TransferCheckRequest',
  z.strictObject({
    from: AccountIdSchema.nullable().optional(),
    to: AccountIdSchema,
    amount: AmountSchema,
    record: z.boolean().optional().describe('record the decision (inputs and rule-set hashes) on the ledger for later replay'),
    locale: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/).optional().describe('language of the reason messages (en, de, ...)'),
  }),
);


const wholeNumber = (max: number) => z.string().regex(/^[0-9]{1,16}$/, `must be a whole number from 1 to ${max}`).transform(Number)
  .refine((n) => n >= 1 && n <= max, `must be a whole number from 1 to ${max}`);

/** A page of an asset's registry changes: from a sequence number (default 1), at most `limit` (default 100). */
export const RegistryChangesQuerySchema = z.strictObject({
  fromSeq: wholeNumber(Number.MAX_SAFE_INTEGER).optional().describe('the first sequence number wanted (default 1)'),
  limit: wholeNumber(1000).optional().describe('most changes in the page, 1 to 1000 (default 100)'),
});
