import { BankSessionSchema, WalletSubmissionSchema } from '@kyc-ledger/crypto';
import { named } from './schemaRegistry';

// The wallet protocol's messages (docs/protocol.md), named for the OpenAPI document. The schemas
// are the crypto core's, which wallets and the bank gateway both check them with.

export const BankSessionDocSchema = named('BankSession', BankSessionSchema, 'A bank\'s signed one-time verification session (docs/protocol.md)');

export const WalletSubmissionDocSchema = named(
  'WalletSubmission',
  WalletSubmissionSchema,
  '{consent, signature, disclosure, session?} as defined in docs/protocol.md; with the bank\'s signed session any instance of its gateway takes the submission. A body of another shape is refused with SUBMISSION_MALFORMED without using up the session',
);
