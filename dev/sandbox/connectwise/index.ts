/** The local ConnectWise PSA sandbox: the real wire format, persistent state, fault knobs. */
export { startConnectWiseSandbox, API_PREFIX, type ConnectWiseSandbox, type ConnectWiseSandboxOptions } from './server';
export { DEMO_CREDENTIALS, type SandboxCredentials } from './auth';
export type { SandboxAdmin, MappingChange, RequestHook, RequestServed, SeedName } from './admin';
export type { CloseKind } from './lifecycle';
export type { GenerateOptions } from './generator';
