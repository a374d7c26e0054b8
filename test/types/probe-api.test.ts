import { describe, expectTypeOf, test } from 'vitest';
import type { Credentials, Keyring } from '../../src/index.js';
import {
  type Finding,
  type PROBE_FINDINGS,
  type ProbeFinding,
  type ProbeFindingCode,
  type ProbeOptions,
  type ProbeReport,
  type PushCredentialMap,
  type PushCredentialReport,
  probeCredentials,
} from '../../src/probe.js';

// The public types of twilio-access-token/probe.

describe('twilio-access-token/probe types', () => {
  test('probeCredentials takes credentials or a keyring and resolves with a ProbeReport', () => {
    expectTypeOf(probeCredentials).parameter(0).toEqualTypeOf<Credentials | Keyring>();
    expectTypeOf(probeCredentials).parameter(1).toEqualTypeOf<ProbeOptions | undefined>();
    expectTypeOf(probeCredentials).returns.toEqualTypeOf<Promise<ProbeReport>>();
    expectTypeOf<ProbeOptions>().toEqualTypeOf<{
      token?: string;
      fetch?: typeof globalThis.fetch;
      regions?: readonly string[];
      timeout?: number;
      expectPush?: PushCredentialMap;
      deadline?: number;
    }>();
  });

  test('expectPush takes the map pushCredentialFor takes; the report lists each push credential', () => {
    expectTypeOf<PushCredentialMap>().toEqualTypeOf<import('../../src/handlers/fetch/index.js').PushCredentialMap>();
    expectTypeOf<ProbeReport['pushCredentials']>().toEqualTypeOf<readonly PushCredentialReport[] | undefined>();
    expectTypeOf<PushCredentialReport>().toEqualTypeOf<{
      readonly path: string;
      readonly sid: string;
      readonly type: string;
      readonly sandbox: boolean;
    }>();
  });

  test('a report: ok, the Region, the key type, the clock and findings of the shared shape', () => {
    expectTypeOf<ProbeReport['keyType']>().toEqualTypeOf<'main' | 'standard' | undefined>();
    expectTypeOf<ProbeReport['region']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ProbeReport['findings']>().toEqualTypeOf<readonly ProbeFinding[]>();
    expectTypeOf<ProbeFinding>().toEqualTypeOf<Finding<ProbeFindingCode>>();
    expectTypeOf<ProbeFinding['severity']>().toEqualTypeOf<'error' | 'warning'>();
  });

  test('the codes: the keys of PROBE_FINDINGS and the offline codes a probe shares', () => {
    expectTypeOf<ProbeFindingCode>().toEqualTypeOf<
      keyof typeof PROBE_FINDINGS | 'MALFORMED_TOKEN' | 'ACCOUNT_MISMATCH' | 'UNKNOWN_KEY'
    >();
    expectTypeOf<(typeof PROBE_FINDINGS)['KEY_RESTRICTED']['twilioError']>().toEqualTypeOf<number | undefined>();
  });
});
