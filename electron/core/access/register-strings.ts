// The words of the printed register of authorised persons (access.export), in the four interface
// languages. The screens word the same values from renderer/i18n/locales/access; role names as the
// screens name them (renderer/i18n/locales/*.json `roles`).
import type { GrantAuto, GrantChange, GrantEnd, GrantState } from '../../../shared/contract';
import type { Language } from '../../../shared/i18n-languages';
import type { Role } from '../../../shared/roles';

export interface AccessRegisterWords {
  title: string;
  subtitle: string;
  columns: { ref: string; person: string; role: string; groups: string; basis: string; validUntil: string; asked: string; decision: string; inForce: string; state: string };
  open: string;
  none: string;
  system: string;
  roles: Record<Role, string>;
  states: Record<GrantState, string>;
  changes: Record<GrantChange, string>;
  auto: Record<GrantAuto, string>;
  ends: Record<GrantEnd, string>;
}

export const ACCESS_REGISTER_WORDS: Readonly<Record<Language, AccessRegisterWords>> = {
  en: {
    title: 'Register of authorised persons',
    subtitle: 'Every grant of rights to footage: its basis, who asked, who approved, and from when to when it was in force (KRK §5.4.1, §5.4.4-5.4.5; JON 15.2-15.3; BRN art. 34).',
    columns: { ref: 'Grant', person: 'Person', role: 'Role', groups: 'Camera groups', basis: 'Basis', validUntil: 'Good until', asked: 'Asked for', decision: 'Decision', inForce: 'In force', state: 'State' },
    open: 'open-ended',
    none: '—',
    system: 'the console',
    roles: { guard: 'Guard', reviewer: 'Reviewer', supervisor: 'Supervisor', administrator: 'Administrator', auditor: 'Auditor / DPO' },
    states: { pending: 'waiting for approval', approved: 'in force', refused: 'refused', withdrawn: 'withdrawn', ended: 'ended' },
    changes: { created: 'new account', role_changed: 'change of role', groups_changed: 'more camera groups', reactivated: 'account reactivated', fewer_rights: 'fewer rights', terms_changed: 'basis or validity changed', recorded_before: 'held before the register' },
    auto: { no_footage: 'no footage: no second person needed', fewer_rights: 'fewer rights: no second person needed', first_approver: 'first approver of the site', recorded_before: 'held before the register' },
    ends: { superseded: 'replaced by a later grant', deactivated: 'account deactivated', expired: 'validity ended', revoked: 'revoked' },
  },
  pl: {
    title: 'Rejestr osób upoważnionych',
    subtitle: 'Każde nadanie uprawnień do nagrań: podstawa, kto wnioskował, kto zatwierdził oraz od kiedy do kiedy obowiązywało (KRK §5.4.1, §5.4.4-5.4.5; JON 15.2-15.3; BRN art. 34).',
    columns: { ref: 'Nadanie', person: 'Osoba', role: 'Rola', groups: 'Grupy kamer', basis: 'Podstawa', validUntil: 'Ważne do', asked: 'Wniosek', decision: 'Decyzja', inForce: 'Obowiązywało', state: 'Stan' },
    open: 'bezterminowo',
    none: '—',
    system: 'konsola',
    roles: { guard: 'Strażnik', reviewer: 'Osoba upoważniona', supervisor: 'Kierownik zmiany', administrator: 'Administrator', auditor: 'Audytor / IOD' },
    states: { pending: 'czeka na zatwierdzenie', approved: 'obowiązuje', refused: 'odmówiono', withdrawn: 'wycofane', ended: 'zakończone' },
    changes: { created: 'nowe konto', role_changed: 'zmiana roli', groups_changed: 'więcej grup kamer', reactivated: 'ponowna aktywacja konta', fewer_rights: 'mniej uprawnień', terms_changed: 'zmiana podstawy lub ważności', recorded_before: 'sprzed rejestru' },
    auto: { no_footage: 'bez dostępu do nagrań: druga osoba niepotrzebna', fewer_rights: 'mniej uprawnień: druga osoba niepotrzebna', first_approver: 'pierwsza osoba zatwierdzająca obiektu', recorded_before: 'sprzed rejestru' },
    ends: { superseded: 'zastąpione późniejszym nadaniem', deactivated: 'konto dezaktywowane', expired: 'upłynęła ważność', revoked: 'cofnięte' },
  },
  lt: {
    title: 'Įgaliotų asmenų registras',
    subtitle: 'Kiekvienas teisių į vaizdo įrašus suteikimas: pagrindas, kas prašė, kas patvirtino ir nuo kada iki kada galiojo (KRK §5.4.1, §5.4.4-5.4.5; JON 15.2-15.3; BRN 34 str.).',
    columns: { ref: 'Suteikimas', person: 'Asmuo', role: 'Vaidmuo', groups: 'Kamerų grupės', basis: 'Pagrindas', validUntil: 'Galioja iki', asked: 'Prašyta', decision: 'Sprendimas', inForce: 'Galiojo', state: 'Būsena' },
    open: 'neterminuotai',
    none: '—',
    system: 'konsolė',
    roles: { guard: 'Apsaugos darbuotojas', reviewer: 'Įgaliotas darbuotojas', supervisor: 'Pamainos vadovas', administrator: 'Administratorius', auditor: 'Auditorius / DAP pareigūnas' },
    states: { pending: 'laukia patvirtinimo', approved: 'galioja', refused: 'atsisakyta', withdrawn: 'atšaukta', ended: 'baigėsi' },
    changes: { created: 'nauja paskyra', role_changed: 'vaidmens pakeitimas', groups_changed: 'daugiau kamerų grupių', reactivated: 'paskyra vėl aktyvuota', fewer_rights: 'mažiau teisių', terms_changed: 'pakeistas pagrindas ar galiojimas', recorded_before: 'turėta iki registro' },
    auto: { no_footage: 'be prieigos prie įrašų: antro asmens nereikia', fewer_rights: 'mažiau teisių: antro asmens nereikia', first_approver: 'pirmasis objekto tvirtintojas', recorded_before: 'turėta iki registro' },
    ends: { superseded: 'pakeista vėlesniu suteikimu', deactivated: 'paskyra išjungta', expired: 'baigėsi galiojimas', revoked: 'atšaukta' },
  },
  cs: {
    title: 'Registr oprávněných osob',
    subtitle: 'Každé udělení práv k záznamům: podklad, kdo žádal, kdo schválil a od kdy do kdy platilo (KRK §5.4.1, §5.4.4-5.4.5; JON 15.2-15.3; BRN čl. 34).',
    columns: { ref: 'Udělení', person: 'Osoba', role: 'Role', groups: 'Skupiny kamer', basis: 'Podklad', validUntil: 'Platí do', asked: 'Žádost', decision: 'Rozhodnutí', inForce: 'Platilo', state: 'Stav' },
    open: 'bez omezení',
    none: '—',
    system: 'konzole',
    roles: { guard: 'Strážník', reviewer: 'Pověřený pracovník', supervisor: 'Vedoucí směny', administrator: 'Správce', auditor: 'Auditor / pověřenec' },
    states: { pending: 'čeká na schválení', approved: 'platí', refused: 'zamítnuto', withdrawn: 'staženo', ended: 'skončilo' },
    changes: { created: 'nový účet', role_changed: 'změna role', groups_changed: 'více skupin kamer', reactivated: 'účet znovu aktivován', fewer_rights: 'méně práv', terms_changed: 'změna podkladu nebo platnosti', recorded_before: 'drženo před registrem' },
    auto: { no_footage: 'bez přístupu k záznamům: druhá osoba není třeba', fewer_rights: 'méně práv: druhá osoba není třeba', first_approver: 'první schvalovatel objektu', recorded_before: 'drženo před registrem' },
    ends: { superseded: 'nahrazeno pozdějším udělením', deactivated: 'účet deaktivován', expired: 'platnost skončila', revoked: 'odebráno' },
  },
};
