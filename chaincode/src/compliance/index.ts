// The compliance engine is pure logic the gateway runs too: it lives in @kyc-ledger/rules.
export * from '@kyc-ledger/rules/dist/compliance';
