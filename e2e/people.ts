// The journeys' usual cast, the same people in every journey that needs them: an administrator who
// sets the console up, and users an administrator creates, each with the temporary password given
// to them and the password they choose at their first sign-in.
export const ADMIN = { username: 'anna.admin', displayName: 'Anna Nowak', password: 'Kamera-Wschod-2024!x' };
export const GUARD = { username: 'jan.guard', displayName: 'Jan Kowalski', temp: 'Zielony-Tramwaj-77', password: 'Ciche-Schody-2026' };
export const REVIEWER = { username: 'ola.review', displayName: 'Ola Wiśniewska', temp: 'Niebieski-Statek-88', password: 'Czerwony-Rower-2025' };
/** The site's data protection officer (auditor): its first approver of grants of access. */
export const DPO = { username: 'ewa.dpo', displayName: 'Ewa Zielińska', temp: 'Srebrny-Most-41', password: 'Jasna-Polana-2026' };
