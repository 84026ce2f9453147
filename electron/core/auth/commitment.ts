// The confidentiality commitment every user accepts before first use (JON 15.2, BRN art. 32).
// Versioned: a new version makes everyone accept again.
import type { Language } from '../../../shared/i18n-languages';

export const COMMITMENT_VERSION = '2026-1';

export const COMMITMENT_TEXT: Readonly<Record<Language, { title: string; body: string }>> = {
  en: {
    title: 'Confidentiality commitment',
    body: [
      'I will process video data, including images of people, only as my duties require and only for the purposes for which the monitoring system was set up.',
      'I will keep confidential everything I see or learn through the system, including camera locations, during my employment and after it ends.',
      'I will not copy, photograph, record or hand over footage except through the procedures of this console, and I will state a true reason whenever I view recordings.',
      'I will keep my password secret, lock the console when I leave it, and report at once any security breach I notice to my supervisor and the data protection officer.',
      'I understand that every action I take in this console is recorded, and that breaking this commitment may have disciplinary and legal consequences.',
    ].join('\n\n'),
  },
  pl: {
    title: 'Zobowiązanie do zachowania poufności',
    body: [
      'Będę przetwarzać dane z monitoringu wizyjnego, w tym wizerunki osób, wyłącznie w zakresie wymaganym przez moje obowiązki i tylko w celach, dla których system został utworzony.',
      'Zachowam w poufności wszystko, co zobaczę lub czego się dowiem za pośrednictwem systemu, w tym lokalizacje kamer, w czasie zatrudnienia i po jego ustaniu.',
      'Nie będę kopiować, fotografować, nagrywać ani przekazywać nagrań inaczej niż zgodnie z procedurami tej konsoli i zawsze podam prawdziwy powód przeglądania nagrań.',
      'Zachowam hasło w tajemnicy, zablokuję konsolę, gdy od niej odchodzę, i niezwłocznie zgłoszę zauważone naruszenie bezpieczeństwa przełożonemu i inspektorowi ochrony danych.',
      'Rozumiem, że każde moje działanie w tej konsoli jest rejestrowane, a naruszenie tego zobowiązania może skutkować konsekwencjami dyscyplinarnymi i prawnymi.',
    ].join('\n\n'),
  },
  lt: {
    title: 'Įsipareigojimas saugoti konfidencialumą',
    body: [
      'Vaizdo duomenis, įskaitant asmenų atvaizdus, tvarkysiu tik tiek, kiek to reikia mano pareigoms atlikti, ir tik tais tikslais, kuriais sistema buvo įrengta.',
      'Saugosiu paslaptyje viską, ką matysiu ar sužinosiu per sistemą, įskaitant kamerų vietas, tiek darbo metu, tiek jam pasibaigus.',
      'Nekopijuosiu, nefotografuosiu, neįrašinėsiu ir neperduosiu vaizdo įrašų kitaip nei pagal šios konsolės procedūras ir visada nurodysiu tikrą įrašų peržiūros priežastį.',
      'Saugosiu savo slaptažodį, užrakinsiu konsolę, kai nuo jos atsitrauksiu, ir nedelsdamas pranešiu apie pastebėtą saugumo pažeidimą vadovui ir duomenų apsaugos pareigūnui.',
      'Suprantu, kad kiekvienas mano veiksmas šioje konsolėje registruojamas, o šio įsipareigojimo pažeidimas gali užtraukti drausminę ir teisinę atsakomybę.',
    ].join('\n\n'),
  },
  cs: {
    title: 'Závazek mlčenlivosti',
    body: [
      'Obrazové záznamy, včetně podob osob, budu zpracovávat pouze v rozsahu, který vyžadují mé povinnosti, a jen k účelům, pro které byl kamerový systém zřízen.',
      'Zachovám mlčenlivost o všem, co v systému uvidím nebo se dozvím, včetně umístění kamer, po dobu zaměstnání i po jeho skončení.',
      'Nebudu záznamy kopírovat, fotografovat, nahrávat ani předávat jinak než postupy této konzole a při každém prohlížení záznamů uvedu pravdivý důvod.',
      'Své heslo udržím v tajnosti, konzoli při odchodu uzamknu a každé zjištěné porušení bezpečnosti neprodleně ohlásím nadřízenému a pověřenci pro ochranu osobních údajů.',
      'Beru na vědomí, že každá má činnost v této konzoli je zaznamenávána a že porušení tohoto závazku může mít kárné a právní důsledky.',
    ].join('\n\n'),
  },
};
