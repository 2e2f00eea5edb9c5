/** The GL engine's public surface: vocabulary, sequences, the compiled resolver. */
export * from './types';
export { MAPPED_TYPE_ALIASES, canonicalMappedType, isAccountType, isProjectTime, LINE_RECORD } from './mapped-types';
export { GL_SEQUENCES, glSequence } from './sequences';
export { FACTS_READ, factsNeeded, lineContext, ownerRecordOf, type LineContextOutcome, type LineOrigin, type OriginFact } from './line-origin';
export { GL_FIELD_MAX_LENGTH, partitionGlMappings, validateGlMappings, describeMappingRow } from './validate-mappings';
export { accountTypeOfCode, sequencesFromMappedTypes, type GlSequences, type MappedTypeFact, type SiteSequences } from './site-sequences';
export {
  createGlResolver,
  mappingLabel,
  DEFAULT_SEGMENTS,
  OWNER_MAPPING_MISSING_MESSAGE,
  type GlResolver,
  type GlResolverOptions,
  type GlResolveOutcome,
  type GlSegment,
} from './resolver';
export type { ChartAccount, ChartItem, ChartNamed, ChartParty, ChartSnapshot, LedgerRef } from './chart';
export { accountFitRule, accountMisfit, type AccountFitRule, type AccountRole, type Country } from './account-fit';
export { nearestCandidates, describeCandidates, type Candidate, type MatchMode } from './near-matches';
export {
  createChartMatcher,
  type AccountMatch,
  type ChartMatcher,
  type ChartMatchOptions,
  type ItemMatch,
  type PartyLookup,
} from './chart-match';
