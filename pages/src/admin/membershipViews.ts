import { dataTable } from '../shared/dataTable';
import { h } from '../shared/dom';
import type { Accreditation, Member } from './adminTypes';
import { shortDate } from './shortDate';

/** The member organisations and their roles. */
export function membersCard(members: readonly Member[]): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'members-title', id: 'members' },
    h('h2', { id: 'members-title' }, 'Members'),
    dataTable(
      'Member organisations',
      ['Organisation', 'MSP ID', 'Roles', 'Status', 'Since'],
      members.map((m) => [
        m.name,
        h('span', { class: 'mono' }, m.mspId),
        m.roles.join(', '),
        h('span', { class: `badge ${m.status === 'active' ? 'ok' : 'bad'}` }, m.status),
        shortDate(m.removedAt ?? m.since),
      ]),
      'No members are registered.',
    ),
  );
}

/** Every certifier's accreditation and scope. */
export function accreditationsCard(accreditations: readonly Accreditation[]): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'accreditations-title', id: 'accreditations' },
    h('h2', { id: 'accreditations-title' }, 'Certifier accreditations'),
    dataTable(
      'Certifier accreditations',
      ['Certifier', 'Status', 'Countries', 'Claim topics', 'Max assurance', 'Valid'],
      accreditations.map((a) => [
        h('span', { class: 'mono' }, a.certifier),
        h('span', { class: `badge ${a.status === 'active' ? 'ok' : 'bad'}` }, a.status === 'revoked' && a.revokedAt ? `revoked ${shortDate(a.revokedAt)}` : a.status),
        a.countries.join(', '),
        a.claimTopics.join(', '),
        a.maxAssuranceLevel,
        `${shortDate(a.validFrom)} – ${shortDate(a.validUntil)}`,
      ]),
      'No certifier is accredited.',
    ),
  );
}
