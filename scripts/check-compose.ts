/**
 * Checks docker-compose.yml without a Docker engine: `docker compose config` when the client has the
 * compose plugin, and always a YAML parse plus the services and wiring the deployment needs (two
 * worker replicas with nothing on their disks among them).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const REQUIRED_SERVICES = ['postgresql', 'temporal', 'temporal-ui', 'codec-server', 'worker'];

const file = 'docker-compose.yml';
const doc = parse(readFileSync(file, 'utf8')) as { services?: Record<string, Record<string, unknown>> };
const services = doc.services ?? {};
const missing = REQUIRED_SERVICES.filter((s) => !(s in services));
if (missing.length) {
  console.error(`${file}: missing services ${missing.join(', ')}`);
  process.exit(1);
}
const worker = services.worker as { build?: unknown; environment?: Record<string, string>; deploy?: { replicas?: number }; volumes?: unknown[]; container_name?: string };
if (!worker.build) {
  console.error(`${file}: the worker must be built from this repository (build:)`);
  process.exit(1);
}
// Any number of workers serve one deployment; compose runs two, so a second host's view is exercised.
if (!(Number(worker.deploy?.replicas) >= 2) || worker.container_name) {
  console.error(`${file}: the worker must run as at least two replicas (deploy.replicas: 2, no container_name)`);
  process.exit(1);
}
// No product state on a worker's disk: no volume for it, and the QuickBooks tokens kept in Temporal.
if ((worker.volumes ?? []).length > 0 || worker.environment?.QBO_TOKEN_STORE === 'file' || worker.environment?.QBO_TOKEN_FILE) {
  console.error(`${file}: the worker keeps nothing on its disk: no volumes, no QBO_TOKEN_FILE, QBO_TOKEN_STORE not "file"`);
  process.exit(1);
}
if (!String(worker.environment?.TEMPORAL_ADDRESS ?? '').startsWith('temporal:')) {
  console.error(`${file}: the worker must reach the temporal service (TEMPORAL_ADDRESS=temporal:7233)`);
  process.exit(1);
}

// The UI decodes through the codec-server service, on the port that service publishes.
type Service = { environment?: Record<string, string | number>; ports?: string[]; command?: string[] };
const ui = services['temporal-ui'] as Service;
const codec = services['codec-server'] as Service;
const endpoint = String(ui.environment?.TEMPORAL_CODEC_ENDPOINT ?? '');
const endpointPort = /:(\d+)\}?$/.exec(endpoint)?.[1];
const published = (codec.ports ?? []).map((p) => String(p).split(':').slice(-2)[0]);
if (!endpointPort || !published.includes(endpointPort)) {
  console.error(`${file}: temporal-ui's TEMPORAL_CODEC_ENDPOINT (${endpoint}) must reach the codec-server's published port (${published.join(', ') || 'none'})`);
  process.exit(1);
}
if (!codec.command?.join(' ').includes('dist/workers/codec-server.js')) {
  console.error(`${file}: codec-server must run dist/workers/codec-server.js`);
  process.exit(1);
}

const compose = spawnSync('docker', ['compose', '-f', file, 'config', '--quiet'], { encoding: 'utf8' });
if (compose.status === 0) console.log(`${file}: docker compose config OK; services: ${Object.keys(services).join(', ')}`);
else console.log(`${file}: parsed OK (docker compose unavailable here); services: ${Object.keys(services).join(', ')}`);
