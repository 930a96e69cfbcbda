import { restrictionCodeName, type RestrictionCodeName } from './restrictionCodes';

type Catalogue = Record<RestrictionCodeName, string> & { UNKNOWN: (code: number) => string };

const en: Catalogue = {
  SUCCESS: 'The transfer is allowed.',
  ASSET_FROZEN: 'The asset is frozen.',
  SENDER_FROZEN: "The sender's address is frozen.",
  RECIPIENT_FROZEN: "The recipient's address is frozen.",
  SENDER_NOT_REGISTERED: "The sender's address is not registered for this asset.",
  RECIPIENT_NOT_REGISTERED: "The recipient's address is not registered for this asset.",
  INSUFFICIENT_BALANCE: "The amount exceeds the sender's balance.",
  INVALID_AMOUNT: 'The amount must be a positive whole number of base units.',
  NO_RULE_SET: 'No compliance rule set is in force for this transfer.',
  INVESTOR_RECORD_MISSING: 'No investor record exists for this address.',
  ATTESTATION_INVALID: 'The KYC attestation is missing or not valid.',
  KYC_CLAIMS_MISSING: 'The KYC attestation lacks required claims.',
  ASSURANCE_TOO_LOW: "The KYC attestation's assurance level is too low.",
  AML_SCREENING_STALE: 'The AML screening is out of date.',
  REKYC_OVERDUE: 'Periodic re-verification (re-KYC) is overdue.',
  RISK_TIER_NOT_ALLOWED: "The investor's risk tier is not allowed.",
  RISK_TIER_AMOUNT_LIMIT: "The amount exceeds the limit for the investor's risk tier.",
  JURISDICTION_SANCTIONED: "The investor's jurisdiction is sanctioned.",
  JURISDICTION_HIGH_RISK: "The investor's jurisdiction is high-risk and enhanced due diligence is not met.",
  PEP_NOT_ALLOWED: 'Politically exposed persons are not allowed without enhanced due diligence.',
  JURISDICTION_NOT_ALLOWED: "The recipient's jurisdiction may not hold this asset.",
  INVESTOR_TYPE_NOT_ALLOWED: "The recipient's investor or entity type may not hold this asset in their jurisdiction.",
  ACCREDITATION_EXPIRED: "The recipient's accredited or qualified investor status has expired.",
  CLAIM_TOPICS_MISSING: "The recipient's attestation lacks claims this asset requires in their jurisdiction.",
  COUNTRY_HOLDER_CAP: "The maximum number of holders in the recipient's country has been reached.",
  TOTAL_HOLDER_CAP: 'The maximum number of holders of this asset has been reached.',
  MAX_BALANCE: "The transfer would take the recipient's balance above the maximum.",
  LOCKED_UP: "The sender's holding is still in its lock-up period.",
  UNKNOWN: (code) => `Unknown restriction code ${code}.`,
};

const de: Catalogue = {
  SUCCESS: 'Die Übertragung ist zulässig.',
  ASSET_FROZEN: 'Der Vermögenswert ist gesperrt.',
  SENDER_FROZEN: 'Die Adresse des Absenders ist gesperrt.',
  RECIPIENT_FROZEN: 'Die Adresse des Empfängers ist gesperrt.',
  SENDER_NOT_REGISTERED: 'Die Adresse des Absenders ist für diesen Vermögenswert nicht registriert.',
  RECIPIENT_NOT_REGISTERED: 'Die Adresse des Empfängers ist für diesen Vermögenswert nicht registriert.',
  INSUFFICIENT_BALANCE: 'Der Betrag übersteigt das Guthaben des Absenders.',
  INVALID_AMOUNT: 'Der Betrag muss eine positive ganze Zahl von Basiseinheiten sein.',
  NO_RULE_SET: 'Für diese Übertragung ist kein Compliance-Regelwerk in Kraft.',
  INVESTOR_RECORD_MISSING: 'Für diese Adresse besteht kein Anlegerdatensatz.',
  ATTESTATION_INVALID: 'Die KYC-Bestätigung fehlt oder ist nicht gültig.',
  KYC_CLAIMS_MISSING: 'Der KYC-Bestätigung fehlen erforderliche Angaben.',
  ASSURANCE_TOO_LOW: 'Das Vertrauensniveau der KYC-Bestätigung ist zu niedrig.',
  AML_SCREENING_STALE: 'Die Geldwäscherei-Prüfung (AML) ist nicht mehr aktuell.',
  REKYC_OVERDUE: 'Die periodische Neuprüfung (Re-KYC) ist überfällig.',
  RISK_TIER_NOT_ALLOWED: 'Die Risikostufe des Anlegers ist nicht zugelassen.',
  RISK_TIER_AMOUNT_LIMIT: 'Der Betrag übersteigt die Grenze für die Risikostufe des Anlegers.',
  JURISDICTION_SANCTIONED: 'Die Jurisdiktion des Anlegers unterliegt Sanktionen.',
  JURISDICTION_HIGH_RISK: 'Die Jurisdiktion des Anlegers gilt als Hochrisiko und die erhöhte Sorgfaltspflicht ist nicht erfüllt.',
  PEP_NOT_ALLOWED: 'Politisch exponierte Personen sind ohne erhöhte Sorgfaltspflicht nicht zugelassen.',
  JURISDICTION_NOT_ALLOWED: 'Die Jurisdiktion des Empfängers darf diesen Vermögenswert nicht halten.',
  INVESTOR_TYPE_NOT_ALLOWED: 'Anleger- oder Rechtsform des Empfängers darf diesen Vermögenswert in seiner Jurisdiktion nicht halten.',
  ACCREDITATION_EXPIRED: 'Der Status des Empfängers als akkreditierter oder qualifizierter Anleger ist abgelaufen.',
  CLAIM_TOPICS_MISSING: 'Der Bestätigung des Empfängers fehlen Angaben, die dieser Vermögenswert in seiner Jurisdiktion verlangt.',
  COUNTRY_HOLDER_CAP: 'Die Höchstzahl der Inhaber im Land des Empfängers ist erreicht.',
  TOTAL_HOLDER_CAP: 'Die Höchstzahl der Inhaber dieses Vermögenswerts ist erreicht.',
  MAX_BALANCE: 'Die Übertragung würde das Guthaben des Empfängers über das Maximum heben.',
  LOCKED_UP: 'Der Bestand des Absenders unterliegt noch einer Sperrfrist.',
  UNKNOWN: (code) => `Unbekannter Beschränkungscode ${code}.`,
};

const fr: Catalogue = {
  SUCCESS: 'Le transfert est autorisé.',
  ASSET_FROZEN: "L'actif est gelé.",
  SENDER_FROZEN: "L'adresse de l'expéditeur est gelée.",
  RECIPIENT_FROZEN: "L'adresse du destinataire est gelée.",
  SENDER_NOT_REGISTERED: "L'adresse de l'expéditeur n'est pas enregistrée pour cet actif.",
  RECIPIENT_NOT_REGISTERED: "L'adresse du destinataire n'est pas enregistrée pour cet actif.",
  INSUFFICIENT_BALANCE: "Le montant dépasse le solde de l'expéditeur.",
  INVALID_AMOUNT: "Le montant doit être un nombre entier positif d'unités de base.",
  NO_RULE_SET: "Aucun jeu de règles de conformité n'est en vigueur pour ce transfert.",
  INVESTOR_RECORD_MISSING: "Aucun dossier d'investisseur n'existe pour cette adresse.",
  ATTESTATION_INVALID: "L'attestation KYC est absente ou n'est pas valide.",
  KYC_CLAIMS_MISSING: "Il manque à l'attestation KYC des données requises.",
  ASSURANCE_TOO_LOW: "Le niveau de garantie de l'attestation KYC est insuffisant.",
  AML_SCREENING_STALE: "Le contrôle de lutte contre le blanchiment (LBC) n'est plus à jour.",
  REKYC_OVERDUE: 'La revérification périodique (re-KYC) est en retard.',
  RISK_TIER_NOT_ALLOWED: "Le niveau de risque de l'investisseur n'est pas admis.",
  RISK_TIER_AMOUNT_LIMIT: "Le montant dépasse la limite du niveau de risque de l'investisseur.",
  JURISDICTION_SANCTIONED: "La juridiction de l'investisseur fait l'objet de sanctions.",
  JURISDICTION_HIGH_RISK: "La juridiction de l'investisseur est à haut risque et la vigilance renforcée n'est pas remplie.",
  PEP_NOT_ALLOWED: 'Les personnes politiquement exposées ne sont pas admises sans vigilance renforcée.',
  JURISDICTION_NOT_ALLOWED: 'La juridiction du destinataire ne peut pas détenir cet actif.',
  INVESTOR_TYPE_NOT_ALLOWED: "Le type d'investisseur ou d'entité du destinataire ne peut pas détenir cet actif dans sa juridiction.",
  ACCREDITATION_EXPIRED: "Le statut d'investisseur accrédité ou qualifié du destinataire a expiré.",
  CLAIM_TOPICS_MISSING: "Il manque à l'attestation du destinataire des données que cet actif exige dans sa juridiction.",
  COUNTRY_HOLDER_CAP: 'Le nombre maximal de détenteurs dans le pays du destinataire est atteint.',
  TOTAL_HOLDER_CAP: 'Le nombre maximal de détenteurs de cet actif est atteint.',
  MAX_BALANCE: 'Le transfert porterait le solde du destinataire au-delà du maximum.',
  LOCKED_UP: "La position de l'expéditeur est encore en période de blocage.",
  UNKNOWN: (code) => `Code de restriction inconnu ${code}.`,
};

// A Map, not an object, so that a locale such as "constructor" cannot reach Object.prototype.
const catalogues: ReadonlyMap<string, Catalogue> = new Map([['en', en], ['de', de], ['fr', fr]]);

export const supportedLocales: readonly string[] = Object.freeze([...catalogues.keys()]);

/** BCP 47 tags fall back by language ("de-CH" → "de"), and anything else falls back to English. */
function catalogueFor(locale: string | undefined): Catalogue {
  const language = (locale ?? 'en').toLowerCase().split(/[-_]/)[0] ?? 'en';
  return catalogues.get(language) ?? en;
}

/** ERC-1404's messageForTransferRestriction, localised. */
export function messageForTransferRestriction(code: number, locale?: string): string {
  const catalogue = catalogueFor(locale);
  const name = restrictionCodeName(code);
  return name === undefined ? catalogue.UNKNOWN(code) : catalogue[name];
}
