// The words of the printed register of data-subject requests (register-export.ts) in the four
// interface languages (docs/requirements.md "Languages"). The engine writes the file, so the words
// live here; they follow the screen's (renderer/i18n/locales/subjects).
import type { Language } from '../../../shared/i18n-languages';
import type { SubjectRequestView } from '../../../shared/contract';

type R = SubjectRequestView;

export interface RegisterStrings {
  title: string;
  subtitle: (country: string) => string;
  columns: { reference: string; kind: string; received: string; requester: string; identity: string; deadline: string; decision: string; answer: string; links: string; viewings: string };
  kind: Record<R['kind'], string>;
  channel: Record<R['channel'], string>;
  identity: Record<NonNullable<R['identity']>['method'], string>;
  notChecked: string;
  decision: Record<NonNullable<R['decision']>['outcome'], string>;
  notDecided: string;
  notAnswered: string;
  state: Record<R['deadline']['state'], string>;
  phase: Record<R['deadline']['phase'], string>;
  late: string;
  extended: (months: number, told: string) => string;
  fee: (amount: string) => string;
  remediesTold: string;
  appointment: (at: string) => string;
  by: string;
  hold: string;
  exportRequest: string;
  redaction: Record<'boxes_confirmed' | 'attested' | 'none', string>;
  shownBy: (who: string, at: string) => string;
  history: string;
  action: Record<string, string>;
}

export const REGISTER_STRINGS: Readonly<Record<Language, RegisterStrings>> = {
  en: {
    title: 'Register of data-subject requests',
    subtitle: (c) => `Requests by people about footage of themselves; site country ${c}. GDPR art. 12, 15-21; BRN art. 15-17; JON 17-20; ELB 1.14.`,
    columns: { reference: 'Ref.', kind: 'Request', received: 'Received', requester: 'Requester', identity: 'Identity checked', deadline: 'Deadline', decision: 'Decision', answer: 'Answered', links: 'Holds and exports', viewings: 'Viewings on site' },
    kind: { confirm: 'Confirm whether recorded', information: 'Information', copy: 'Copy of footage', viewing: 'Viewing on site', erasure: 'Erasure', restriction: 'Restriction', objection: 'Objection', secure: 'Securing footage' },
    channel: { letter: 'letter', email: 'e-mail', in_person: 'in person', phone: 'telephone', e_delivery: 'electronic delivery' },
    identity: { id_document: 'identity document', known_in_person: 'known in person', qualified_signature: 'qualified e-signature', e_delivery_account: 'e-delivery account', other: 'other' },
    notChecked: 'not checked yet',
    decision: { granted: 'granted', partly: 'partly granted', refused: 'refused' },
    notDecided: 'not decided',
    notAnswered: 'not answered',
    state: { ok: 'running', near: 'due soon', overdue: 'OVERDUE', done: 'answered' },
    phase: { answer: 'answer', decision: 'decision' },
    late: 'late',
    extended: (m, told) => `extended by ${m} month(s); requester told ${told}`,
    fee: (a) => `fee ${a}`,
    remediesTold: 'told of the right to complain and to go to court',
    appointment: (at) => `appointment ${at}`,
    by: 'by',
    hold: 'hold',
    exportRequest: 'export',
    redaction: { boxes_confirmed: 'others redacted (boxes confirmed)', attested: 'nobody else visible (attested)', none: 'not produced yet' },
    shownBy: (who, at) => `shown by ${who}, ${at}`,
    history: 'History',
    action: { recorded: 'recorded', 'identity checked': 'identity checked', extended: 'deadline extended', decided: 'decided', answered: 'answered', linked: 'linked', viewing: 'viewing on site' },
  },
  pl: {
    title: 'Rejestr żądań osób, których dane dotyczą',
    subtitle: (c) => `Żądania osób dotyczące nagrań z ich wizerunkiem; kraj obiektu ${c}. RODO art. 12, 15-21; BRN art. 15-17; JON 17-20; ELB 1.14.`,
    columns: { reference: 'Nr', kind: 'Żądanie', received: 'Wpłynęło', requester: 'Wnioskodawca', identity: 'Tożsamość sprawdzona', deadline: 'Termin', decision: 'Rozstrzygnięcie', answer: 'Odpowiedź', links: 'Zabezpieczenia i eksporty', viewings: 'Okazanie na miejscu' },
    kind: { confirm: 'Potwierdzenie, czy nagrano', information: 'Informacja', copy: 'Kopia nagrania', viewing: 'Okazanie na miejscu', erasure: 'Usunięcie', restriction: 'Ograniczenie', objection: 'Sprzeciw', secure: 'Zabezpieczenie nagrania' },
    channel: { letter: 'pismo', email: 'e-mail', in_person: 'osobiście', phone: 'telefon', e_delivery: 'doręczenie elektroniczne' },
    identity: { id_document: 'dokument tożsamości', known_in_person: 'znany osobiście', qualified_signature: 'kwalifikowany podpis elektroniczny', e_delivery_account: 'konto doręczeń elektronicznych', other: 'inaczej' },
    notChecked: 'jeszcze nie sprawdzona',
    decision: { granted: 'uwzględnione', partly: 'uwzględnione częściowo', refused: 'odmowa' },
    notDecided: 'nierozstrzygnięte',
    notAnswered: 'bez odpowiedzi',
    state: { ok: 'biegnie', near: 'wkrótce', overdue: 'PO TERMINIE', done: 'udzielono odpowiedzi' },
    phase: { answer: 'odpowiedź', decision: 'decyzja' },
    late: 'po terminie',
    extended: (m, told) => `przedłużono o ${m} mies.; wnioskodawcę poinformowano ${told}`,
    fee: (a) => `opłata ${a}`,
    remediesTold: 'pouczono o prawie do skargi i do sądu',
    appointment: (at) => `termin stawienia się ${at}`,
    by: 'przez',
    hold: 'zabezpieczenie',
    exportRequest: 'eksport',
    redaction: { boxes_confirmed: 'inne osoby zamaskowane (potwierdzono)', attested: 'nikt inny niewidoczny (oświadczenie)', none: 'jeszcze nie przygotowano' },
    shownBy: (who, at) => `okazał(a) ${who}, ${at}`,
    history: 'Historia',
    action: { recorded: 'zarejestrowano', 'identity checked': 'sprawdzono tożsamość', extended: 'przedłużono termin', decided: 'rozstrzygnięto', answered: 'udzielono odpowiedzi', linked: 'powiązano', viewing: 'okazanie na miejscu' },
  },
  lt: {
    title: 'Duomenų subjektų prašymų registras',
    subtitle: (c) => `Asmenų prašymai dėl juos užfiksavusių vaizdo įrašų; objekto šalis ${c}. BDAR 12, 15-21 str.; BRN 15-17 str.; JON 17-20; ELB 1.14.`,
    columns: { reference: 'Nr.', kind: 'Prašymas', received: 'Gauta', requester: 'Prašytojas', identity: 'Tapatybė patikrinta', deadline: 'Terminas', decision: 'Sprendimas', answer: 'Atsakyta', links: 'Sulaikymai ir eksportai', viewings: 'Peržiūros vietoje' },
    kind: { confirm: 'Patvirtinti, ar užfiksuotas', information: 'Informacija', copy: 'Įrašo kopija', viewing: 'Peržiūra vietoje', erasure: 'Ištrynimas', restriction: 'Apribojimas', objection: 'Prieštaravimas', secure: 'Įrašo sulaikymas' },
    channel: { letter: 'laiškas', email: 'el. paštas', in_person: 'asmeniškai', phone: 'telefonu', e_delivery: 'el. pristatymas' },
    identity: { id_document: 'asmens dokumentas', known_in_person: 'pažįstamas asmeniškai', qualified_signature: 'kvalifikuotas el. parašas', e_delivery_account: 'el. pristatymo paskyra', other: 'kita' },
    notChecked: 'dar nepatikrinta',
    decision: { granted: 'patenkinta', partly: 'patenkinta iš dalies', refused: 'atsisakyta' },
    notDecided: 'nespręsta',
    notAnswered: 'neatsakyta',
    state: { ok: 'bėga', near: 'netrukus', overdue: 'PRALEISTAS', done: 'atsakyta' },
    phase: { answer: 'atsakymas', decision: 'sprendimas' },
    late: 'pavėluotai',
    extended: (m, told) => `pratęsta ${m} mėn.; prašytojas informuotas ${told}`,
    fee: (a) => `mokestis ${a}`,
    remediesTold: 'informuotas apie teisę skųstis ir kreiptis į teismą',
    appointment: (at) => `atvykimo laikas ${at}`,
    by: '',
    hold: 'sulaikymas',
    exportRequest: 'eksportas',
    redaction: { boxes_confirmed: 'kiti asmenys užmaskuoti (patvirtinta)', attested: 'nieko kito nematyti (patvirtinta raštu)', none: 'dar neparengta' },
    shownBy: (who, at) => `parodė ${who}, ${at}`,
    history: 'Istorija',
    action: { recorded: 'užregistruota', 'identity checked': 'patikrinta tapatybė', extended: 'pratęstas terminas', decided: 'priimtas sprendimas', answered: 'atsakyta', linked: 'susieta', viewing: 'peržiūra vietoje' },
  },
  cs: {
    title: 'Evidence žádostí subjektů údajů',
    subtitle: (c) => `Žádosti osob týkající se záznamů, na nichž jsou zachyceny; země objektu ${c}. GDPR čl. 12, 15-21; BRN čl. 15-17; JON 17-20; ELB 1.14.`,
    columns: { reference: 'Č.', kind: 'Žádost', received: 'Přijato', requester: 'Žadatel', identity: 'Ověření totožnosti', deadline: 'Lhůta', decision: 'Rozhodnutí', answer: 'Odpověď', links: 'Zajištění a exporty', viewings: 'Nahlédnutí na místě' },
    kind: { confirm: 'Potvrzení, zda byl zaznamenán', information: 'Informace', copy: 'Kopie záznamu', viewing: 'Nahlédnutí na místě', erasure: 'Výmaz', restriction: 'Omezení', objection: 'Námitka', secure: 'Zajištění záznamu' },
    channel: { letter: 'dopis', email: 'e-mail', in_person: 'osobně', phone: 'telefonicky', e_delivery: 'datová schránka' },
    identity: { id_document: 'doklad totožnosti', known_in_person: 'osobně známý', qualified_signature: 'kvalifikovaný el. podpis', e_delivery_account: 'datová schránka', other: 'jinak' },
    notChecked: 'zatím neověřena',
    decision: { granted: 'vyhověno', partly: 'vyhověno částečně', refused: 'zamítnuto' },
    notDecided: 'nerozhodnuto',
    notAnswered: 'bez odpovědi',
    state: { ok: 'běží', near: 'brzy', overdue: 'PO LHŮTĚ', done: 'zodpovězeno' },
    phase: { answer: 'odpověď', decision: 'rozhodnutí' },
    late: 'po lhůtě',
    extended: (m, told) => `prodlouženo o ${m} měs.; žadatel informován ${told}`,
    fee: (a) => `poplatek ${a}`,
    remediesTold: 'poučen o právu podat stížnost a obrátit se na soud',
    appointment: (at) => `termín ${at}`,
    by: '',
    hold: 'zajištění',
    exportRequest: 'export',
    redaction: { boxes_confirmed: 'ostatní osoby zakryty (potvrzeno)', attested: 'nikdo jiný není vidět (prohlášení)', none: 'zatím nevyhotoveno' },
    shownBy: (who, at) => `ukázal(a) ${who}, ${at}`,
    history: 'Historie',
    action: { recorded: 'zaevidováno', 'identity checked': 'ověřena totožnost', extended: 'prodloužena lhůta', decided: 'rozhodnuto', answered: 'zodpovězeno', linked: 'propojeno', viewing: 'nahlédnutí na místě' },
  },
};
