/**
 * `npm run sandbox`: the local stand-ins for ConnectWise PSA and QuickBooks Online on 127.0.0.1,
 * state under .sandbox/, ports from SANDBOX_PSA_PORT (8701) and SANDBOX_QBO_PORT (8702).
 * Each sandbox is one entry in `sandboxes`; Ctrl-C closes them all.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { startConnectWiseSandbox } from './connectwise';
import { startQuickBooksSandbox, DEMO_CLIENT_ID } from './quickbooks';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const env = z
  .object({
    SANDBOX_PSA_PORT: port(8701),
    SANDBOX_QBO_PORT: port(8702),
    SANDBOX_QBO_SEED: z.enum(['demo', 'demo-ast', 'demo-ca']).default('demo'),
    SANDBOX_DATA_DIR: z.string().default('.sandbox'),
  })
  .parse(process.env);

interface RunningSandbox {
  name: string;
  baseUrl: string;
  /** One line of connection facts (demo credentials are fixed and public). */
  note: string;
  close(): Promise<void>;
}

type SandboxStarter = () => Promise<RunningSandbox>;

const sandboxes: SandboxStarter[] = [
  async () => {
    const psa = await startConnectWiseSandbox({
      host: '127.0.0.1',
      port: env.SANDBOX_PSA_PORT,
      dataDir: join(env.SANDBOX_DATA_DIR, 'connectwise'),
      seed: 'demo',
    });
    const { companyId, publicKey, privateKey } = psa.credentials;
    return {
      name: 'ConnectWise PSA',
      baseUrl: psa.baseUrl,
      note: `company ${companyId}, public key ${publicKey}, private key ${privateKey}, any clientId; admin ${psa.origin}/__admin/`,
      close: psa.close,
    };
  },
  async () => {
    const qbo = await startQuickBooksSandbox({
      host: '127.0.0.1',
      port: env.SANDBOX_QBO_PORT,
      dataDir: join(env.SANDBOX_DATA_DIR, 'quickbooks'),
      seed: env.SANDBOX_QBO_SEED,
    });
    return {
      name: 'QuickBooks Online',
      baseUrl: qbo.baseUrl,
      note: `realm ${qbo.realmId}, access token demo-access-token, client ${DEMO_CLIENT_ID}, token URL ${qbo.tokenUrl}`,
      close: qbo.close,
    };
  },
];

async function main(): Promise<void> {
  const running: RunningSandbox[] = [];
  for (const start of sandboxes) running.push(await start());
  for (const s of running) process.stdout.write(`${s.name.padEnd(20)} ${s.baseUrl}  (${s.note})\n`);
  const stop = async () => {
    await Promise.allSettled(running.map((s) => s.close()));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: Error) => {
  process.stderr.write(`sandbox: ${err.message}\n`);
  process.exit(1);
});
