/** What the activities are built from: clients and settings, wired once per worker (workers/dependencies.ts). */
import type { TaxSettings } from '../domain/posting';
import type { Logger } from 'pino';
import type { ConnectWiseClient } from '../integrations/connectwise';
import type { Mailer } from '../integrations/mail';
import type { QuickBooksClient } from '../integrations/quickbooks';
import type { RecordRouter } from '../integrations/record-routing';

export interface ActivityDependencies {
  psa: ConnectWiseClient;
  ledger: QuickBooksClient;
  mailer: Mailer;
  logger: Logger;
  mailDefaultTo: string;
  /** Who reports may go to (MAIL_ALLOWED_RECIPIENTS, resolved; domain/report-recipients). */
  mailAllowedRecipients: readonly string[];
  temporalUi: { baseUrl: string; namespace: string };
  /** Prepared records this worker keeps between a batch's steps (PREPARED_RECORDS_KEPT; activities/prepared-records). */
  preparedRecordsKept?: number;
  ledgerContext: { ttlMs: number; accountMatch: 'name' | 'number'; createMissingParties?: boolean; tax?: TaxSettings };
  /**
   * The accounting company these serve and how the deployment routes records to its companies;
   * absent: the deployment's only company, "default", which books every record.
   */
  company?: { name: string; router: RecordRouter };
}
