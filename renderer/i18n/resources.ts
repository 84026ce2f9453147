// The interface strings of each language: a base file plus one file per feature (incidents,
// playback, exports, alarms, seats, audit, masks, breaches), merged here, so features can be worked on side by side. A key must live in one file.
import type { Language } from '../../shared/i18n-languages';
import cs from './locales/cs.json';
import en from './locales/en.json';
import lt from './locales/lt.json';
import pl from './locales/pl.json';
import incidentsCs from './locales/incidents/cs.json';
import incidentsEn from './locales/incidents/en.json';
import incidentsLt from './locales/incidents/lt.json';
import incidentsPl from './locales/incidents/pl.json';
import playbackCs from './locales/playback/cs.json';
import playbackEn from './locales/playback/en.json';
import playbackLt from './locales/playback/lt.json';
import playbackPl from './locales/playback/pl.json';
import exportsCs from './locales/exports/cs.json';
import exportsEn from './locales/exports/en.json';
import exportsLt from './locales/exports/lt.json';
import exportsPl from './locales/exports/pl.json';
import alarmsCs from './locales/alarms/cs.json';
import alarmsEn from './locales/alarms/en.json';
import alarmsLt from './locales/alarms/lt.json';
import alarmsPl from './locales/alarms/pl.json';
import seatsCs from './locales/seats/cs.json';
import seatsEn from './locales/seats/en.json';
import seatsLt from './locales/seats/lt.json';
import seatsPl from './locales/seats/pl.json';
import auditCs from './locales/audit/cs.json';
import auditEn from './locales/audit/en.json';
import auditLt from './locales/audit/lt.json';
import auditPl from './locales/audit/pl.json';
import masksCs from './locales/masks/cs.json';
import accessCs from './locales/access/cs.json';
import accessEn from './locales/access/en.json';
import accessLt from './locales/access/lt.json';
import accessPl from './locales/access/pl.json';
import breachesCs from './locales/breaches/cs.json';
import ptzCs from './locales/ptz/cs.json';
import masksEn from './locales/masks/en.json';
import breachesEn from './locales/breaches/en.json';
import ptzEn from './locales/ptz/en.json';
import masksLt from './locales/masks/lt.json';
import breachesLt from './locales/breaches/lt.json';
import ptzLt from './locales/ptz/lt.json';
import masksPl from './locales/masks/pl.json';
import breachesPl from './locales/breaches/pl.json';
import ptzPl from './locales/ptz/pl.json';
import accessReviewCs from './locales/access-review/cs.json';
import accessReviewEn from './locales/access-review/en.json';
import accessReviewLt from './locales/access-review/lt.json';
import accessReviewPl from './locales/access-review/pl.json';
import subjectsCs from './locales/subjects/cs.json';
import subjectsEn from './locales/subjects/en.json';
import subjectsLt from './locales/subjects/lt.json';
import subjectsPl from './locales/subjects/pl.json';
import nodesCs from './locales/nodes/cs.json';
import nodesEn from './locales/nodes/en.json';
import nodesLt from './locales/nodes/lt.json';
import nodesPl from './locales/nodes/pl.json';

type Tree = { [key: string]: unknown };

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge of string trees; a key defined twice is a mistake and throws at start-up (and in tests). */
export function mergeResources(...parts: unknown[]): Tree {
  const out: Tree = {};
  const into = (target: Tree, source: Tree, path: string) => {
    for (const [key, value] of Object.entries(source)) {
      const at = path ? `${path}.${key}` : key;
      const existing = target[key];
      if (existing === undefined) target[key] = isTree(value) ? into({}, value, at) : value;
      else if (isTree(existing) && isTree(value)) into(existing, value, at);
      else throw new Error(`interface string ${at} is defined twice`);
    }
    return target;
  };
  for (const part of parts) if (isTree(part)) into(out, part, '');
  return out;
}

export const RESOURCES: Record<Language, Tree> = {
  en: mergeResources(en, incidentsEn, playbackEn, exportsEn, alarmsEn, seatsEn, auditEn, masksEn, breachesEn, accessReviewEn, subjectsEn, ptzEn, accessEn, nodesEn),
  pl: mergeResources(pl, incidentsPl, playbackPl, exportsPl, alarmsPl, seatsPl, auditPl, masksPl, breachesPl, accessReviewPl, subjectsPl, ptzPl, accessPl, nodesPl),
  lt: mergeResources(lt, incidentsLt, playbackLt, exportsLt, alarmsLt, seatsLt, auditLt, masksLt, breachesLt, accessReviewLt, subjectsLt, ptzLt, accessLt, nodesLt),
  cs: mergeResources(cs, incidentsCs, playbackCs, exportsCs, alarmsCs, seatsCs, auditCs, masksCs, breachesCs, accessReviewCs, subjectsCs, ptzCs, accessCs, nodesCs),
};
