// An access review printed (BRN art. 34(1)(ii), JON 15.3; docs/design/access-review.md "Print"): one
// row per line with its last uses and its decision, through the one register module
// (electron/core/registers/register-document.ts), worded here in the four interface languages.
import type { CampaignView, ReviewEffect, ReviewLineView } from '../../../shared/contract';
import type { Language } from '../../../shared/i18n-languages';
import type { Role } from '../../../shared/roles';
import type { UsersService } from '../auth/users-service';
import type { Clock } from '../clock';
import { REPORT_STRINGS, reportDateTime } from '../masks/report-strings';
import type { Downloads } from '../media/downloads';
import type { RegisterDocument } from '../registers/register-document';
import type { SiteService } from '../site/site-service';

export interface ReviewRegisterDeps {
  site: Pick<SiteService, 'timeZone'>;
  users: Pick<UsersService, 'byUsername'>;
  downloads: Pick<Downloads, 'offer'>;
  dataDir: string;
  clock: Clock;
}

interface Words {
  title: (reference: string) => string;
  subtitle: (from: string, to: string, opened: string, by: string) => string;
  columns: Record<'person' | 'role' | 'right' | 'signIn' | 'live' | 'playback' | 'export' | 'unused' | 'decision' | 'by' | 'at' | 'reason', string>;
  roles: Record<Role, string>;
  roleRight: string;
  groupRight: (name: string) => string;
  never: string;
  yes: string;
  undecided: string;
  decision: { confirmed: string; revoked: string };
  effects: Record<Exclude<ReviewEffect, 'none'>, string>;
  closed: (at: string, by: string) => string;
  open: (decided: number, lines: number) => string;
}

const CLAUSES = 'BRN art. 34(1)(ii), JON 15.3';

const WORDS: Readonly<Record<Language, Words>> = {
  en: {
    title: (r) => `Access review ${r}`,
    subtitle: (from, to, opened, by) => `Use in the period ${from} – ${to} · opened ${opened} by ${by} · ${CLAUSES}`,
    columns: { person: 'Person', role: 'Role', right: 'Right', signIn: 'Last sign-in', live: 'Last live view', playback: 'Last playback', export: 'Last export', unused: 'Unused in the period', decision: 'Decision', by: 'Decided by', at: 'Decided at', reason: 'Reason' },
    roles: { guard: 'Guard', reviewer: 'Reviewer', supervisor: 'Supervisor', administrator: 'Administrator', auditor: 'Auditor / DPO' },
    roleRight: 'The role itself',
    groupRight: (n) => `Camera group ${n}`,
    never: 'never',
    yes: 'yes',
    undecided: 'not decided yet',
    decision: { confirmed: 'Confirmed', revoked: 'Revoked' },
    effects: { group_removed: 'group taken away', group_already_removed: 'group had been taken away already', account_deactivated: 'account deactivated', account_already_inactive: 'account was inactive already', with_account: 'with the account' },
    closed: (at, by) => `Closed ${at} by ${by}: every line decided.`,
    open: (d, n) => `Open: ${d} of ${n} lines decided.`,
  },
  pl: {
    title: (r) => `Przegląd uprawnień ${r}`,
    subtitle: (from, to, opened, by) => `Użycie w okresie ${from} – ${to} · otwarty ${opened} przez ${by} · ${CLAUSES}`,
    columns: { person: 'Osoba', role: 'Rola', right: 'Uprawnienie', signIn: 'Ostatnie logowanie', live: 'Ostatni podgląd na żywo', playback: 'Ostatnie odtworzenie', export: 'Ostatni eksport', unused: 'Nieużywane w okresie', decision: 'Decyzja', by: 'Zdecydował(a)', at: 'Kiedy', reason: 'Uzasadnienie' },
    roles: { guard: 'Strażnik', reviewer: 'Osoba upoważniona', supervisor: 'Kierownik zmiany', administrator: 'Administrator', auditor: 'Audytor / IOD' },
    roleRight: 'Sama rola',
    groupRight: (n) => `Grupa kamer ${n}`,
    never: 'nigdy',
    yes: 'tak',
    undecided: 'bez decyzji',
    decision: { confirmed: 'Potwierdzone', revoked: 'Odebrane' },
    effects: { group_removed: 'grupa odebrana', group_already_removed: 'grupa była już odebrana', account_deactivated: 'konto dezaktywowane', account_already_inactive: 'konto było już nieaktywne', with_account: 'razem z kontem' },
    closed: (at, by) => `Zamknięty ${at} przez ${by}: wszystkie pozycje rozstrzygnięte.`,
    open: (d, n) => `Otwarty: rozstrzygnięto ${d} z ${n} pozycji.`,
  },
  lt: {
    title: (r) => `Prieigos teisių peržiūra ${r}`,
    subtitle: (from, to, opened, by) => `Naudojimas laikotarpiu ${from} – ${to} · pradėta ${opened}, pradėjo ${by} · ${CLAUSES}`,
    columns: { person: 'Asmuo', role: 'Rolė', right: 'Teisė', signIn: 'Paskutinis prisijungimas', live: 'Paskutinė tiesioginė peržiūra', playback: 'Paskutinė įrašo peržiūra', export: 'Paskutinis eksportas', unused: 'Nenaudota laikotarpiu', decision: 'Sprendimas', by: 'Nusprendė', at: 'Kada', reason: 'Priežastis' },
    roles: { guard: 'Apsaugos darbuotojas', reviewer: 'Įgaliotas darbuotojas', supervisor: 'Pamainos vadovas', administrator: 'Administratorius', auditor: 'Auditorius / DAP pareigūnas' },
    roleRight: 'Pati rolė',
    groupRight: (n) => `Kamerų grupė ${n}`,
    never: 'niekada',
    yes: 'taip',
    undecided: 'dar nenuspręsta',
    decision: { confirmed: 'Patvirtinta', revoked: 'Atimta' },
    effects: { group_removed: 'grupė atimta', group_already_removed: 'grupė jau buvo atimta', account_deactivated: 'paskyra išjungta', account_already_inactive: 'paskyra jau buvo neaktyvi', with_account: 'kartu su paskyra' },
    closed: (at, by) => `Užbaigta ${at}, užbaigė ${by}: visos eilutės išspręstos.`,
    open: (d, n) => `Vyksta: išspręsta ${d} iš ${n} eilučių.`,
  },
  cs: {
    title: (r) => `Přezkum přístupových oprávnění ${r}`,
    subtitle: (from, to, opened, by) => `Použití v období ${from} – ${to} · zahájen ${opened}, zahájil(a) ${by} · ${CLAUSES}`,
    columns: { person: 'Osoba', role: 'Role', right: 'Oprávnění', signIn: 'Poslední přihlášení', live: 'Poslední živý obraz', playback: 'Poslední přehrání', export: 'Poslední export', unused: 'Nepoužito v období', decision: 'Rozhodnutí', by: 'Rozhodl(a)', at: 'Kdy', reason: 'Odůvodnění' },
    roles: { guard: 'Strážník', reviewer: 'Pověřený pracovník', supervisor: 'Vedoucí směny', administrator: 'Správce', auditor: 'Auditor / pověřenec' },
    roleRight: 'Samotná role',
    groupRight: (n) => `Skupina kamer ${n}`,
    never: 'nikdy',
    yes: 'ano',
    undecided: 'nerozhodnuto',
    decision: { confirmed: 'Potvrzeno', revoked: 'Odebráno' },
    effects: { group_removed: 'skupina odebrána', group_already_removed: 'skupina již byla odebrána', account_deactivated: 'účet deaktivován', account_already_inactive: 'účet již byl neaktivní', with_account: 'spolu s účtem' },
    closed: (at, by) => `Uzavřen ${at}, uzavřel(a) ${by}: všechny řádky rozhodnuty.`,
    open: (d, n) => `Otevřený: rozhodnuto ${d} z ${n} řádků.`,
  },
};

/** The campaign as a register document in `language`, times in the site's zone. */
export async function reviewDocument(d: ReviewRegisterDeps, c: CampaignView, language: Language, generatedByUsername: string): Promise<RegisterDocument> {
  const w = WORDS[language];
  const timeZone = await d.site.timeZone();
  const at = (ms: number | null) => (ms === null ? w.never : reportDateTime(ms, REPORT_STRINGS[language], timeZone));
  // People as others know them; an account that is gone stays named by its user name.
  const names = new Map<string, string>();
  const nameOf = async (username: string) => {
    if (!names.has(username)) {
      const u = await d.users.byUsername(username);
      names.set(username, u && u.display_name !== username ? `${u.display_name} (${username})` : username);
    }
    return names.get(username)!;
  };
  const decisionText = (l: ReviewLineView) => {
    if (!l.decision) return w.undecided;
    const effect = l.decision.effect === 'none' ? '' : ` (${w.effects[l.decision.effect]})`;
    return `${w.decision[l.decision.decision]}${effect}`;
  };
  const rows: Record<string, string>[] = [];
  for (const l of c.lineViews) {
    rows.push({
      person: `${l.displayName} (${l.username})`,
      role: w.roles[l.role],
      right: l.kind === 'role' ? w.roleRight : w.groupRight(l.groupName ?? ''),
      signIn: l.kind === 'role' ? at(l.lastSignInMs) : '',
      live: at(l.lastLiveMs),
      playback: at(l.lastPlaybackMs),
      export: at(l.lastExportMs),
      unused: l.unused ? w.yes : '',
      decision: decisionText(l),
      by: l.decision ? await nameOf(l.decision.by) : '',
      at: l.decision ? at(l.decision.atMs) : '',
      reason: l.decision?.reason ?? '',
    });
  }
  const col = w.columns;
  return {
    title: w.title(c.reference),
    subtitle: w.subtitle(at(c.periodFromMs), at(c.periodToMs), at(c.openedAtMs), c.openedBy === 'system' ? '—' : await nameOf(c.openedBy)),
    language,
    timeZone,
    generatedAtMs: d.clock.nowMs(),
    generatedBy: await nameOf(generatedByUsername),
    columns: [
      { key: 'person', title: col.person, weight: 1.6 },
      { key: 'role', title: col.role, weight: 0.9 },
      { key: 'right', title: col.right, weight: 1.2 },
      { key: 'signIn', title: col.signIn },
      { key: 'live', title: col.live },
      { key: 'playback', title: col.playback },
      { key: 'export', title: col.export },
      { key: 'unused', title: col.unused, weight: 0.7 },
      { key: 'decision', title: col.decision, weight: 1.1 },
      { key: 'by', title: col.by, weight: 1.2 },
      { key: 'at', title: col.at },
      { key: 'reason', title: col.reason, weight: 1.8 },
    ],
    rows,
    notes: [c.status === 'closed' && c.closedAtMs !== null ? w.closed(at(c.closedAtMs), c.closedBy ? await nameOf(c.closedBy) : '') : w.open(c.decided, c.lines)],
  };
}
