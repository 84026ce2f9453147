// The words of the data protection officer's privacy-mask report (report-pdf.ts) in the four
// interface languages (docs/requirements.md "Languages"). The engine writes the PDF, so the words
// live here; the kinds, area types and column names are those the editor and the cameras tab use
// (renderer/i18n/locales/masks, renderer/i18n/locales/*.json admin.cameras).
import type { AreaType } from '../../../shared/cameras';
import type { Language } from '../../../shared/i18n-languages';
import type { MaskKind } from '../../../shared/privacy-masks';

export interface ReportStrings {
  /** BCP 47 locale of the dates (the renderer's currentLocale for the same language). */
  locale: string;
  title: string;
  subtitle: string;
  sites: string;
  generated: string;
  timeZone: (zone: string) => string;
  ruleHeading: string;
  rule: string;
  kindsHeading: string;
  kindHint: Record<MaskKind, string>;
  versionsRule: string;
  summaryHeading: string;
  summary: (s: { cameras: number; masked: number; unmasked: number; permanent: number; liftable: number }) => string;
  columns: { camera: string; group: string; masks: string; version: string; since: string; by: string; reason: string; atSource: string };
  field: { group: string; site: string; purpose: string; area: string; recording: string; atSource: string };
  recording: { on: string; off: string };
  /** Masking at the source, in the camera's fields (long) and the summary table (short). */
  atSource: { on: string; off: string; yes: string; no: string };
  area: Record<AreaType, string>;
  inForce: (version: number, at: string, who: string) => string;
  reason: string;
  masksCount: (n: number) => string;
  kind: Record<MaskKind, string>;
  corners: (n: number) => string;
  neverMasked: string;
  noMasksNow: string;
  drawing: string;
  earlier: string;
  noEarlier: string;
  footer: (at: string, page: number, pages: number) => string;
}

export const REPORT_STRINGS: Readonly<Record<Language, ReportStrings>> = {
  en: {
    locale: 'en-GB',
    title: 'Privacy masks of every camera',
    subtitle: 'Report for the data protection officer',
    sites: 'Sites',
    generated: 'Generated',
    timeZone: (zone) => `Times are the site's local time (${zone}).`,
    ruleHeading: 'What this report serves',
    rule:
      'Rule R7, privacy masks: the console must not show private space, such as windows and entrances of homes and places where people expect full privacy (KRK §6.2-6.3, JON 8-9). ' +
      'For every camera this report lists the masks in force, what each one hides and why, since when and who set them, and every earlier version. A camera without masks is listed too.',
    kindsHeading: 'Kinds of masks',
    kindHint: {
      permanent: 'Solid black wherever footage is shown: live, playback, stills and exports. Never lifted in the console.',
      liftable: 'Strongly blurred in live view and playback, and burned into exports.',
    },
    versionsRule:
      'Every change of a camera’s masks is a new version with who, when and why; versions are never changed or deleted. Footage is shown with the masks in force when it was recorded together with the current ones, so changing a mask never uncovers older footage.',
    summaryHeading: 'Summary',
    summary: (s) => `Cameras: ${s.cameras}; with masks: ${s.masked}; without masks: ${s.unmasked}. Masks in force: ${s.permanent} permanent, ${s.liftable} liftable.`,
    columns: { camera: 'Camera', group: 'Camera group', masks: 'Masks', version: 'Version', since: 'Since', by: 'Changed by', reason: 'Reason', atSource: 'At source' },
    field: { group: 'Camera group', site: 'Site', purpose: 'Purpose', area: 'Area type', recording: 'Recording', atSource: 'Masked at the source' },
    recording: { on: 'enabled', off: 'disabled' },
    atSource: { on: 'yes: both streams re-encoded with the permanent masks burned in before recording', off: 'no: the seats draw the masks over the picture', yes: 'yes', no: 'no' },
    area: { office: 'Office', attendance_terminal: 'Attendance terminal', housing_entrance: 'Residential building entrance', housing_common: 'Residential common areas', public_space: 'Public space', workplace: 'Workplace' },
    inForce: (v, at, who) => `Version ${v}, in force since ${at}, set by ${who}`,
    reason: 'Reason of the change',
    masksCount: (n) => `Masks in force: ${n}`,
    kind: { permanent: 'Permanent', liftable: 'Liftable' },
    corners: (n) => `${n} corners`,
    neverMasked: 'No masks: the camera has never had masks; the whole picture is shown.',
    noMasksNow: 'No masks in force: the whole picture is shown.',
    drawing: 'Outlines in the camera’s picture (16:9); no footage',
    earlier: 'Earlier versions',
    noEarlier: 'No earlier versions.',
    footer: (at, page, pages) => `Privacy masks of every camera · ${at} · page ${page} of ${pages}`,
  },
  pl: {
    locale: 'pl-PL',
    title: 'Maski prywatności wszystkich kamer',
    subtitle: 'Raport dla inspektora ochrony danych',
    sites: 'Obiekty',
    generated: 'Wygenerowano',
    timeZone: (zone) => `Godziny podano w czasie lokalnym obiektu (${zone}).`,
    ruleHeading: 'Czemu służy ten raport',
    rule:
      'Zasada R7, maski prywatności: konsola nie może pokazywać przestrzeni prywatnej, takiej jak okna i wejścia do mieszkań oraz miejsca, w których ludzie oczekują pełnej prywatności (KRK §6.2-6.3, JON 8-9). ' +
      'Dla każdej kamery raport podaje obowiązujące maski, co każda zakrywa i dlaczego, od kiedy obowiązują i kto je ustawił, oraz wszystkie wcześniejsze wersje. Kamery bez masek także są wymienione.',
    kindsHeading: 'Rodzaje masek',
    kindHint: {
      permanent: 'Jednolicie czarna wszędzie, gdzie pokazywany jest obraz: na żywo, w odtwarzaniu, na kadrach i w eksportach. Nigdy nie zdejmowana w konsoli.',
      liftable: 'Mocno rozmyta na żywo i w odtwarzaniu, wtapiana w eksporty.',
    },
    versionsRule:
      'Każda zmiana masek kamery to nowa wersja z informacją kto, kiedy i dlaczego; wersji nigdy się nie zmienia ani nie usuwa. Nagrania są pokazywane z maskami obowiązującymi w chwili nagrania razem z obecnymi, więc zmiana maski nigdy nie odsłania starszych nagrań.',
    summaryHeading: 'Podsumowanie',
    summary: (s) => `Kamery: ${s.cameras}; z maskami: ${s.masked}; bez masek: ${s.unmasked}. Obowiązujące maski: stałe ${s.permanent}, zdejmowalne ${s.liftable}.`,
    columns: { camera: 'Kamera', group: 'Grupa kamer', masks: 'Maski', version: 'Wersja', since: 'Od', by: 'Zmienił(a)', reason: 'Uzasadnienie', atSource: 'U źródła' },
    field: { group: 'Grupa kamer', site: 'Obiekt', purpose: 'Cel', area: 'Rodzaj obszaru', recording: 'Nagrywanie', atSource: 'Maskowanie u źródła' },
    recording: { on: 'włączone', off: 'wyłączone' },
    atSource: { on: 'tak: oba strumienie przekodowane z wtopionymi maskami stałymi przed nagraniem', off: 'nie: maski nakładają stanowiska na obraz', yes: 'tak', no: 'nie' },
    area: { office: 'Biuro', attendance_terminal: 'Terminal rejestracji czasu pracy', housing_entrance: 'Wejście do budynku mieszkalnego', housing_common: 'Części wspólne budynku mieszkalnego', public_space: 'Przestrzeń publiczna', workplace: 'Zakład pracy' },
    inForce: (v, at, who) => `Wersja ${v}, obowiązuje od ${at}, ustawił(a) ${who}`,
    reason: 'Uzasadnienie zmiany',
    masksCount: (n) => `Obowiązujące maski: ${n}`,
    kind: { permanent: 'Stała', liftable: 'Zdejmowalna' },
    corners: (n) => `wierzchołki: ${n}`,
    neverMasked: 'Brak masek: kamera nigdy nie miała masek; pokazywany jest cały obraz.',
    noMasksNow: 'Brak obowiązujących masek: pokazywany jest cały obraz.',
    drawing: 'Obrysy w kadrze kamery (16:9), bez obrazu',
    earlier: 'Wcześniejsze wersje',
    noEarlier: 'Brak wcześniejszych wersji.',
    footer: (at, page, pages) => `Maski prywatności wszystkich kamer · ${at} · strona ${page} z ${pages}`,
  },
  lt: {
    locale: 'lt-LT',
    title: 'Visų kamerų privatumo kaukės',
    subtitle: 'Ataskaita duomenų apsaugos pareigūnui',
    sites: 'Objektai',
    generated: 'Sudaryta',
    timeZone: (zone) => `Laikas nurodytas objekto vietos laiku (${zone}).`,
    ruleHeading: 'Kam skirta ši ataskaita',
    rule:
      'Taisyklė R7, privatumo kaukės: konsolė negali rodyti privačios erdvės, pavyzdžiui, gyvenamųjų namų langų ir įėjimų bei vietų, kur žmonės tikisi visiško privatumo (KRK §6.2-6.3, JON 8-9). ' +
      'Kiekvienai kamerai ataskaitoje nurodytos galiojančios kaukės, ką kiekviena dengia ir kodėl, nuo kada jos galioja ir kas jas nustatė, bei visos ankstesnės versijos. Kameros be kaukių taip pat išvardytos.',
    kindsHeading: 'Kaukių rūšys',
    kindHint: {
      permanent: 'Visiškai juoda visur, kur rodomas vaizdas: tiesiogiai, peržiūroje, kadruose ir eksportuose. Konsolėje niekada nenuimama.',
      liftable: 'Stipriai sulieta tiesioginiame vaizde ir peržiūroje, įrašoma į eksportus.',
    },
    versionsRule:
      'Kiekvienas kameros kaukių pakeitimas yra nauja versija su informacija, kas, kada ir kodėl ją pakeitė; versijos niekada nekeičiamos ir netrinamos. Įrašai rodomi su įrašymo metu galiojusiomis kaukėmis kartu su dabartinėmis, todėl kaukės pakeitimas niekada neatidengia senesnių įrašų.',
    summaryHeading: 'Santrauka',
    summary: (s) => `Kameros: ${s.cameras}; su kaukėmis: ${s.masked}; be kaukių: ${s.unmasked}. Galiojančios kaukės: nuolatinės ${s.permanent}, nuimamos ${s.liftable}.`,
    columns: { camera: 'Kamera', group: 'Kamerų grupė', masks: 'Kaukės', version: 'Versija', since: 'Nuo', by: 'Pakeitė', reason: 'Priežastis', atSource: 'Šaltinyje' },
    field: { group: 'Kamerų grupė', site: 'Objektas', purpose: 'Paskirtis', area: 'Teritorijos tipas', recording: 'Įrašymas', atSource: 'Maskavimas šaltinyje' },
    recording: { on: 'įjungtas', off: 'išjungtas' },
    atSource: { on: 'taip: abu srautai perkoduojami su įrašytomis nuolatinėmis kaukėmis prieš įrašymą', off: 'ne: kaukes ant vaizdo uždeda darbo vietos', yes: 'taip', no: 'ne' },
    area: { office: 'Biuras', attendance_terminal: 'Darbo laiko apskaitos terminalas', housing_entrance: 'Gyvenamojo namo įėjimas', housing_common: 'Gyvenamojo namo bendrosios patalpos', public_space: 'Viešoji erdvė', workplace: 'Darbo vieta' },
    inForce: (v, at, who) => `Versija ${v}, galioja nuo ${at}, nustatė ${who}`,
    reason: 'Pakeitimo priežastis',
    masksCount: (n) => `Galiojančios kaukės: ${n}`,
    kind: { permanent: 'Nuolatinė', liftable: 'Nuimama' },
    corners: (n) => `kampų: ${n}`,
    neverMasked: 'Kaukių nėra: kamera niekada neturėjo kaukių; rodomas visas vaizdas.',
    noMasksNow: 'Galiojančių kaukių nėra: rodomas visas vaizdas.',
    drawing: 'Kontūrai kameros kadre (16:9), be vaizdo',
    earlier: 'Ankstesnės versijos',
    noEarlier: 'Ankstesnių versijų nėra.',
    footer: (at, page, pages) => `Visų kamerų privatumo kaukės · ${at} · ${page} psl. iš ${pages}`,
  },
  cs: {
    locale: 'cs-CZ',
    title: 'Masky soukromí všech kamer',
    subtitle: 'Zpráva pro pověřence pro ochranu osobních údajů',
    sites: 'Objekty',
    generated: 'Vytvořeno',
    timeZone: (zone) => `Časy jsou uvedeny v místním čase objektu (${zone}).`,
    ruleHeading: 'Čemu tato zpráva slouží',
    rule:
      'Pravidlo R7, masky soukromí: konzole nesmí zobrazovat soukromý prostor, jako jsou okna a vchody obydlí a místa, kde lidé očekávají plné soukromí (KRK §6.2-6.3, JON 8-9). ' +
      'U každé kamery zpráva uvádí platné masky, co každá zakrývá a proč, od kdy platí a kdo je nastavil, a všechny dřívější verze. Uvedeny jsou i kamery bez masek.',
    kindsHeading: 'Druhy masek',
    kindHint: {
      permanent: 'Plně černá všude, kde se obraz zobrazuje: živě, při přehrávání, na snímcích a v exportech. V konzoli se nikdy nesnímá.',
      liftable: 'Silně rozmazaná v živém obraze a při přehrávání, vypalovaná do exportů.',
    },
    versionsRule:
      'Každá změna masek kamery je nová verze s údajem kdo, kdy a proč; verze se nikdy nemění ani nemažou. Záznamy se zobrazují s maskami platnými v době záznamu spolu s nynějšími, takže změna masky nikdy neodkryje starší záznamy.',
    summaryHeading: 'Shrnutí',
    summary: (s) => `Kamery: ${s.cameras}; s maskami: ${s.masked}; bez masek: ${s.unmasked}. Platné masky: trvalé ${s.permanent}, odstranitelné ${s.liftable}.`,
    columns: { camera: 'Kamera', group: 'Skupina kamer', masks: 'Masky', version: 'Verze', since: 'Od', by: 'Změnil(a)', reason: 'Důvod', atSource: 'U zdroje' },
    field: { group: 'Skupina kamer', site: 'Objekt', purpose: 'Účel', area: 'Typ prostoru', recording: 'Záznam', atSource: 'Maskování u zdroje' },
    recording: { on: 'zapnutý', off: 'vypnutý' },
    atSource: { on: 'ano: oba streamy překódované s vypálenými trvalými maskami před záznamem', off: 'ne: masky kreslí přes obraz pracoviště', yes: 'ano', no: 'ne' },
    area: { office: 'Kancelář', attendance_terminal: 'Docházkový terminál', housing_entrance: 'Vstup do bytového domu', housing_common: 'Společné prostory bytového domu', public_space: 'Veřejné prostranství', workplace: 'Pracoviště' },
    inForce: (v, at, who) => `Verze ${v}, platí od ${at}, nastavil(a) ${who}`,
    reason: 'Důvod změny',
    masksCount: (n) => `Platné masky: ${n}`,
    kind: { permanent: 'Trvalá', liftable: 'Odstranitelná' },
    corners: (n) => `rohů: ${n}`,
    neverMasked: 'Žádné masky: kamera nikdy neměla masky; zobrazuje se celý obraz.',
    noMasksNow: 'Žádné platné masky: zobrazuje se celý obraz.',
    drawing: 'Obrysy v obraze kamery (16:9), bez záznamu',
    earlier: 'Dřívější verze',
    noEarlier: 'Žádné dřívější verze.',
    footer: (at, page, pages) => `Masky soukromí všech kamer · ${at} · strana ${page} z ${pages}`,
  },
};

/** A day and a time to the minute in the site's zone, as the interface writes them in the language
 *  (renderer/kit/format-time.ts formatDateTime: Intl, 24-hour clock, one space between). */
export function reportDateTime(ms: number, s: ReportStrings, timeZone: string): string {
  const key = `${s.locale} ${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = {
      date: new Intl.DateTimeFormat(s.locale, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
      time: new Intl.DateTimeFormat(s.locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    };
    formatters.set(key, f);
  }
  return `${f.date.format(ms)} ${f.time.format(ms)}`;
}
const formatters = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();
