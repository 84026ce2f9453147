// The words of the printed breach register (register-export.ts) in the four interface languages
// (docs/requirements.md "Languages"). The engine writes the file, so its words live here; they follow
// the register screens' words (renderer/i18n/locales/breaches).
import type { BreachCategory, BreachClockState } from '../../../shared/contract';
import type { Language } from '../../../shared/i18n-languages';
import type { ProposalKind } from './breaches-service';

export interface BreachRegisterStrings {
  title: string;
  /** How many records, the period their discoveries span, and the clauses the register serves. */
  subtitle: (records: number, period: string) => string;
  columns: { reference: string; status: string; what: string; discovered: string; category: string; clock: string; notifications: string; history: string };
  status: { open: string; closed: (at: string, by: string) => string };
  engine: string;
  reportedBy: (at: string, by: string) => string;
  cameras: string;
  records: string;
  category: Record<BreachCategory, string> & { none: string };
  assessedBy: (at: string, by: string) => string;
  subjectsNotice: { notify: string; not_notify: string };
  clock: Record<BreachClockState, string> & { deadline: (at: string) => string; notifiedLate: string; left: (h: number, m: number) => string; missedBy: (h: number, m: number) => string };
  authority: (at: string, channel: string, reference: string, by: string) => string;
  subjects: (at: string, channel: string, reference: string, by: string) => string;
  notNotified: string;
  proposal: Record<ProposalKind, string>;
  historyHeading: (reference: string) => string;
  action: Record<string, string>;
  discoveredAt: (at: string) => string;
  categoryLine: (category: number, notice: string | null) => string;
  notifiedLine: (to: 'authority' | 'data_subjects', at: string, channel: string, reference: string) => string;
  remindedLine: (deadline: string) => string;
}

export const BREACH_REGISTER_STRINGS: Readonly<Record<Language, BreachRegisterStrings>> = {
  en: {
    title: 'Register of personal data breaches',
    subtitle: (n, period) => `${n} ${n === 1 ? 'record' : 'records'}, discovered ${period} · JON 21-23, BRN art. 24.3(vii), 36-38`,
    columns: { reference: 'Ref.', status: 'Status', what: 'What happened', discovered: 'Discovered and reported', category: 'Category and assessment', clock: '72-hour clock', notifications: 'Notifications', history: 'History' },
    status: { open: 'Open', closed: (at, by) => `Closed ${at} by ${by}` },
    engine: 'the engine',
    reportedBy: (at, by) => `reported ${at} by ${by}`,
    cameras: 'Cameras',
    records: 'Records concerned',
    category: { none: 'Not assessed', 1: '1 · low: record only', 2: '2 · serious: notify the authority', 3: '3 · very serious: also the data subjects' },
    assessedBy: (at, by) => `Assessed ${at} by ${by}`,
    subjectsNotice: { notify: 'The data subjects are notified', not_notify: 'The data subjects are not notified' },
    clock: {
      deadline: (at) => `Authority to be notified by ${at}`,
      running: 'running',
      warning: 'less than a day left',
      missed: 'missed',
      notified: 'authority notified',
      not_required: 'no notification needed',
      notifiedLate: 'authority notified late',
      left: (h, m) => `${h} h ${m} min left`,
      missedBy: (h, m) => `missed by ${h} h ${m} min`,
    },
    authority: (at, channel, reference, by) => `Authority: ${at}, ${channel}, reference ${reference} (recorded by ${by})`,
    subjects: (at, channel, reference, by) => `Data subjects: ${at}, ${channel}, reference ${reference} (recorded by ${by})`,
    notNotified: 'None recorded',
    proposal: {
      audit_chain: 'The audit trail failed verification',
      audit_anchor: "The audit trail's start-up check failed",
      recording_missing: 'Recording files are missing',
      recording_changed: 'Recording files were changed',
      access_refusals: 'A burst of refused access',
      sign_in_lockouts: 'A burst of sign-in lockouts',
    },
    historyHeading: (ref) => `History of ${ref}`,
    action: { reported: 'Reported', proposed: 'Proposed by the engine', assessed: 'Assessed', notified: 'Notification recorded', closed: 'Closed', reminded: 'Reminder: a day left to notify the authority' },
    discoveredAt: (at) => `discovered ${at}`,
    categoryLine: (c, notice) => `category ${c}${notice ? `; ${notice.toLowerCase()}` : ''}`,
    notifiedLine: (to, at, channel, reference) => `${to === 'authority' ? 'supervisory authority' : 'data subjects'}, sent ${at} by ${channel}, reference ${reference}`,
    remindedLine: (deadline) => `deadline ${deadline}`,
  },
  pl: {
    title: 'Rejestr naruszeń ochrony danych osobowych',
    subtitle: (n, period) => `Wpisów: ${n}, wykryte ${period} · JON 21-23, BRN art. 24.3(vii), 36-38`,
    columns: { reference: 'Numer', status: 'Status', what: 'Co się stało', discovered: 'Wykrycie i zgłoszenie', category: 'Kategoria i ocena', clock: 'Termin 72 godzin', notifications: 'Zawiadomienia', history: 'Historia' },
    status: { open: 'Otwarte', closed: (at, by) => `Zamknięte ${at}, ${by}` },
    engine: 'silnik',
    reportedBy: (at, by) => `zgłoszono ${at}, zgłaszający: ${by}`,
    cameras: 'Kamery',
    records: 'Dotknięte zapisy',
    category: { none: 'Nieocenione', 1: '1 · niskie: tylko rejestracja', 2: '2 · poważne: zawiadomić organ', 3: '3 · bardzo poważne: także osoby' },
    assessedBy: (at, by) => `Ocenił(a) ${by}, ${at}`,
    subjectsNotice: { notify: 'Osoby, których dane dotyczą, są zawiadamiane', not_notify: 'Osoby, których dane dotyczą, nie są zawiadamiane' },
    clock: {
      deadline: (at) => `Zawiadomić organ do ${at}`,
      running: 'termin biegnie',
      warning: 'zostało mniej niż dobę',
      missed: 'termin przekroczony',
      notified: 'organ zawiadomiony',
      not_required: 'zawiadomienie niepotrzebne',
      notifiedLate: 'organ zawiadomiony po terminie',
      left: (h, m) => `zostało ${h} godz. ${m} min`,
      missedBy: (h, m) => `przekroczony o ${h} godz. ${m} min`,
    },
    authority: (at, channel, reference, by) => `Organ: ${at}, ${channel}, numer ${reference} (zapisał(a) ${by})`,
    subjects: (at, channel, reference, by) => `Osoby: ${at}, ${channel}, numer ${reference} (zapisał(a) ${by})`,
    notNotified: 'Brak zapisanych',
    proposal: {
      audit_chain: 'Weryfikacja dziennika audytu nie powiodła się',
      audit_anchor: 'Kontrola dziennika audytu przy starcie nie powiodła się',
      recording_missing: 'Brakuje plików nagrań',
      recording_changed: 'Pliki nagrań zostały zmienione',
      access_refusals: 'Seria odmów dostępu',
      sign_in_lockouts: 'Seria blokad logowania',
    },
    historyHeading: (ref) => `Historia ${ref}`,
    action: { reported: 'Zgłoszono', proposed: 'Zaproponowane przez silnik', assessed: 'Oceniono', notified: 'Zapisano zawiadomienie', closed: 'Zamknięto', reminded: 'Przypomnienie: została doba na zawiadomienie organu' },
    discoveredAt: (at) => `wykryto ${at}`,
    categoryLine: (c, notice) => `kategoria ${c}${notice ? `; ${notice.toLowerCase()}` : ''}`,
    notifiedLine: (to, at, channel, reference) => `${to === 'authority' ? 'organ nadzorczy' : 'osoby, których dane dotyczą'}, wysłano ${at}, droga: ${channel}, numer ${reference}`,
    remindedLine: (deadline) => `termin ${deadline}`,
  },
  lt: {
    title: 'Asmens duomenų saugumo pažeidimų registras',
    subtitle: (n, period) => `Įrašų: ${n}, aptikta ${period} · JON 21-23, BRN 24.3(vii), 36-38 str.`,
    columns: { reference: 'Numeris', status: 'Būsena', what: 'Kas įvyko', discovered: 'Aptikta ir pranešta', category: 'Kategorija ir įvertinimas', clock: '72 valandų terminas', notifications: 'Pranešimai', history: 'Istorija' },
    status: { open: 'Atviras', closed: (at, by) => `Uždarytas ${at}, uždarė ${by}` },
    engine: 'variklis',
    reportedBy: (at, by) => `pranešta ${at}, pranešė ${by}`,
    cameras: 'Kameros',
    records: 'Susiję įrašai',
    category: { none: 'Neįvertinta', 1: '1 · mažas: tik užregistruoti', 2: '2 · rimtas: pranešti institucijai', 3: '3 · labai rimtas: ir duomenų subjektams' },
    assessedBy: (at, by) => `Įvertino ${by}, ${at}`,
    subjectsNotice: { notify: 'Duomenų subjektams pranešama', not_notify: 'Duomenų subjektams nepranešama' },
    clock: {
      deadline: (at) => `Pranešti institucijai iki ${at}`,
      running: 'terminas eina',
      warning: 'liko mažiau nei para',
      missed: 'terminas praleistas',
      notified: 'institucijai pranešta',
      not_required: 'pranešti nereikia',
      notifiedLate: 'institucijai pranešta pavėluotai',
      left: (h, m) => `liko ${h} val. ${m} min.`,
      missedBy: (h, m) => `praleista ${h} val. ${m} min.`,
    },
    authority: (at, channel, reference, by) => `Institucija: ${at}, ${channel}, numeris ${reference} (užregistravo ${by})`,
    subjects: (at, channel, reference, by) => `Duomenų subjektai: ${at}, ${channel}, numeris ${reference} (užregistravo ${by})`,
    notNotified: 'Neužregistruota',
    proposal: {
      audit_chain: 'Audito žurnalo patikra nepavyko',
      audit_anchor: 'Audito žurnalo patikra paleidžiant nepavyko',
      recording_missing: 'Trūksta įrašų failų',
      recording_changed: 'Įrašų failai buvo pakeisti',
      access_refusals: 'Atsisakymų suteikti prieigą serija',
      sign_in_lockouts: 'Prisijungimo blokavimų serija',
    },
    historyHeading: (ref) => `${ref} istorija`,
    action: { reported: 'Pranešta', proposed: 'Pasiūlė variklis', assessed: 'Įvertinta', notified: 'Užregistruotas pranešimas', closed: 'Uždaryta', reminded: 'Priminimas: liko para pranešti institucijai' },
    discoveredAt: (at) => `aptikta ${at}`,
    categoryLine: (c, notice) => `kategorija ${c}${notice ? `; ${notice.toLowerCase()}` : ''}`,
    notifiedLine: (to, at, channel, reference) => `${to === 'authority' ? 'priežiūros institucija' : 'duomenų subjektai'}, išsiųsta ${at}, būdas: ${channel}, numeris ${reference}`,
    remindedLine: (deadline) => `terminas ${deadline}`,
  },
  cs: {
    title: 'Evidence porušení zabezpečení osobních údajů',
    subtitle: (n, period) => `Záznamů: ${n}, zjištěno ${period} · JON 21-23, BRN čl. 24.3(vii), 36-38`,
    columns: { reference: 'Číslo', status: 'Stav', what: 'Co se stalo', discovered: 'Zjištění a nahlášení', category: 'Kategorie a posouzení', clock: 'Lhůta 72 hodin', notifications: 'Ohlášení', history: 'Historie' },
    status: { open: 'Otevřené', closed: (at, by) => `Uzavřeno ${at}, uzavřel(a) ${by}` },
    engine: 'jádro',
    reportedBy: (at, by) => `nahlášeno ${at}, nahlásil(a) ${by}`,
    cameras: 'Kamery',
    records: 'Dotčené záznamy',
    category: { none: 'Neposouzeno', 1: '1 · nízké: jen zaznamenat', 2: '2 · závažné: ohlásit úřadu', 3: '3 · velmi závažné: i subjektům údajů' },
    assessedBy: (at, by) => `Posoudil(a) ${by}, ${at}`,
    subjectsNotice: { notify: 'Subjektům údajů se oznamuje', not_notify: 'Subjektům údajů se neoznamuje' },
    clock: {
      deadline: (at) => `Ohlásit úřadu do ${at}`,
      running: 'lhůta běží',
      warning: 'zbývá méně než den',
      missed: 'lhůta zmeškána',
      notified: 'úřadu ohlášeno',
      not_required: 'ohlášení není třeba',
      notifiedLate: 'úřadu ohlášeno pozdě',
      left: (h, m) => `zbývá ${h} h ${m} min`,
      missedBy: (h, m) => `zmeškáno o ${h} h ${m} min`,
    },
    authority: (at, channel, reference, by) => `Úřad: ${at}, ${channel}, číslo ${reference} (zaznamenal(a) ${by})`,
    subjects: (at, channel, reference, by) => `Subjekty údajů: ${at}, ${channel}, číslo ${reference} (zaznamenal(a) ${by})`,
    notNotified: 'Nic nezaznamenáno',
    proposal: {
      audit_chain: 'Ověření auditního záznamu selhalo',
      audit_anchor: 'Kontrola auditního záznamu při startu selhala',
      recording_missing: 'Chybí soubory záznamů',
      recording_changed: 'Soubory záznamů byly změněny',
      access_refusals: 'Série odepřených přístupů',
      sign_in_lockouts: 'Série zablokovaných přihlášení',
    },
    historyHeading: (ref) => `Historie ${ref}`,
    action: { reported: 'Nahlášeno', proposed: 'Navrženo jádrem', assessed: 'Posouzeno', notified: 'Zaznamenáno ohlášení', closed: 'Uzavřeno', reminded: 'Připomínka: zbývá den na ohlášení úřadu' },
    discoveredAt: (at) => `zjištěno ${at}`,
    categoryLine: (c, notice) => `kategorie ${c}${notice ? `; ${notice.toLowerCase()}` : ''}`,
    notifiedLine: (to, at, channel, reference) => `${to === 'authority' ? 'dozorový úřad' : 'subjekty údajů'}, odesláno ${at}, cesta: ${channel}, číslo ${reference}`,
    remindedLine: (deadline) => `lhůta ${deadline}`,
  },
};
