import 'reflect-metadata';
import { Transactions } from '@kyc-ledger/api';
import { contracts } from '@kyc-ledger/chaincode';
import { expect } from 'chai';

describe('shared transaction names', function () {
  it('are exactly the transactions the chaincode contracts declare', function () {
    const declared: string[] = [];
    for (const ContractClass of contracts) {
      const contract = new ContractClass();
      const metadata = (Reflect.getMetadata('fabric:transactions', ContractClass.prototype) ?? []) as { name: string }[];
      for (const tx of metadata) declared.push(`${contract.getName()}:${tx.name}`);
    }
    expect(declared.length).to.be.greaterThan(0);
    expect([...declared].sort()).to.deep.equal(Object.values(Transactions).sort());
  });
});
