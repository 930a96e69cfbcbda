import { webWalletUrl, type GatewayEndpoint } from './gateways';

/** Where each page is, for the people who use them (docs/pages.md). */
export function printPages(gateways: readonly GatewayEndpoint[]): void {
  const wallet = webWalletUrl(gateways);
  console.log('\nPages (staff pages ask for the gateway\'s API key above; docs/pages.md):');
  if (wallet) console.log(`  ${'wallet'.padEnd(23)} ${wallet}   (a person's phone; banks' QR codes lead here)`);
  for (const g of gateways) {
    if (g.role === 'bank') console.log(`  ${`${g.org} counter`.padEnd(23)} ${g.url}/app/counter/`);
    if (g.role === 'issuer') console.log(`  ${`${g.org} issuer console`.padEnd(23)} ${g.url}/app/issuer/`);
  }
  for (const g of gateways) console.log(`  ${`${g.org} admin console`.padEnd(23)} ${g.url}/app/admin/`);
}
