import { type TenantFile, type TenantFileInput, tenantFileSchema } from './tenant.ts';

/**
 * The default tenant file: it works out of the box and makes every request-triggered code reachable
 * (127.0.0.2 is outside its allowlist, so 7010 can be sent from this machine).
 */
export const DEFAULT_TENANT_FILE_INPUT: TenantFileInput = {
  version: 1,
  tenants: [
    {
      id: 'default',
      services: [
        {
          id: 'svc-demo',
          keys: [
            { value: 'evkit-demo-key', active: true },
            { value: 'evkit-inactive-key', active: false },
          ],
          // base64 of "evkit-demo-jwt-secret-0123456789"
          jwtSecret: 'ZXZraXQtZGVtby1qd3Qtc2VjcmV0LTAxMjM0NTY3ODk=',
        },
      ],
      events: [
        { evtid: '4451', mandatoryParameters: [] },
        { evtid: '4452', mandatoryParameters: [] },
        { evtid: '4460', mandatoryParameters: ['orderId', 'ContactNumber'] },
      ],
      allowlist: ['127.0.0.1', '::1'],
      // Burst off: it is documented for the Messaging API's TPS only; a tenant file may opt in (docs/fidelity.md).
      rateLimit: { tps: 100, burst: false, window: 'fixed', countBy: 'requests' },
    },
  ],
};

/** The default tenant file, parsed (defaults filled in). */
export function defaultTenantFile(): TenantFile {
  return tenantFileSchema.parse(structuredClone(DEFAULT_TENANT_FILE_INPUT));
}
